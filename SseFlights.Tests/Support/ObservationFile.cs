using System.Text.Json;

namespace SseFlights.Tests.Support;

/// <summary>
/// With <c>SSEFLIGHTS_PACK_OBSERVED=DIR</c>, each pack run writes what its client observed to DIR/CLIENT/CASE.json,
/// in the shape of a case's expect block (events, requests as the server logged them, retry): what a maintainer
/// reads to record a new deviation, or to see how one changed. Off by default.
/// </summary>
internal static class ObservationFile
{
    public const string Variable = "SSEFLIGHTS_PACK_OBSERVED";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void WriteIfAsked(string client, string name, ClientReport report, IReadOnlyList<ObservedRequest> requests)
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } folder)
        {
            return;
        }

        var observed = new
        {
            events = report.Events.Select(e => new { type = e.Type, data = e.Data, lastEventId = e.LastEventId }),
            requests = requests.Select(r => new { method = r.Method, headers = r.Headers, body = r.Body, sincePreviousMs = r.SincePreviousMs }),
            retry = report.Retry?.Milliseconds,
            notes = report.Notes,
        };
        string path = Path.Combine(folder, client, name + ".json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(observed, Indented));
    }
}
