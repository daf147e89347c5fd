using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SseFlights.Bench.Scenario;

/// <summary>Writes a bench scenario as the limit peer's frame list: the board's flights as the
/// snapshot shows them, and every timeline entry with its due time and the exact SSE bytes
/// sseflights sends for it (<c>event:</c>, one <c>data:</c> line of compact JSON, <c>id:</c>, a
/// blank line), so the peer only copies bytes. It knows what the bench's scenarios hold:
/// flightStateUpdate and closedConnection events and drops; anything else is refused.</summary>
internal static class FrameList
{
    public const string Header = "sseflights-limit-frames 1";

    // As sseflights writes JSON: compact, non-ASCII kept as UTF-8.
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The frame list beside <paramref name="scenarioPath"/> (same name, <c>.frames</c>),
    /// written first if it is missing or older than the scenario.</summary>
    public static string EnsureBeside(string scenarioPath)
    {
        string path = Path.ChangeExtension(scenarioPath, ".frames");
        if (!File.Exists(path) || File.GetLastWriteTimeUtc(path) < File.GetLastWriteTimeUtc(scenarioPath))
        {
            Write(scenarioPath, path);
        }
        return path;
    }

    public static void Write(string scenarioPath, string outPath)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(scenarioPath));
        JsonElement root = document.RootElement;
        var codes = new List<string>();
        var board = new List<Flight>();
        foreach (JsonElement f in root.GetProperty("flights").EnumerateArray())
        {
            var flight = new Flight(Text(f, "flight"), Text(f, "origin"), Text(f, "arrival"), Text(f, "state"));
            codes.Add(flight.Code);
            board.Add(flight);
        }

        string temp = outPath + ".tmp";
        using (FileStream file = File.Create(temp))
        {
            void Line(string text) => file.Write(Encoding.UTF8.GetBytes(text + "\n"));
            Line(Header);
            Line(Inv($"flights {board.Count}"));
            foreach (Flight flight in board)
            {
                byte[] json = FlightJson(flight);
                Line(Inv($"{json.Length}"));
                file.Write(json);
                Line("");
            }
            JsonElement[] timeline = [.. root.GetProperty("timeline").EnumerateArray()];
            Line(Inv($"entries {timeline.Length}"));
            long id = 0;
            for (int i = 0; i < timeline.Length; i++)
            {
                JsonElement entry = timeline[i];
                string at = entry.GetProperty("at").GetDouble().ToString("R", CultureInfo.InvariantCulture);
                if (entry.TryGetProperty("action", out JsonElement action))
                {
                    if (action.GetString() != "drop") throw Unsupported(i, $"action '{action.GetString()}'");
                    Line($"drop {at}");
                    continue;
                }
                string name = entry.TryGetProperty("event", out JsonElement e) ? e.GetString() ?? "" : "";
                id++;
                int index = -1;
                byte[] flightJson = [];
                string data;
                if (name == "flightStateUpdate")
                {
                    JsonElement change = entry.GetProperty("data");
                    index = codes.IndexOf(Text(change, "flight"));
                    if (index < 0) throw Unsupported(i, $"an update of unknown flight '{Text(change, "flight")}'");
                    if (change.TryGetProperty("state", out JsonElement state)) board[index] = board[index] with { State = state.GetString() ?? "" };
                    flightJson = FlightJson(board[index]);
                    data = CompactJson(change);
                }
                else if (name == "closedConnection")
                {
                    data = "";
                }
                else
                {
                    throw Unsupported(i, $"event '{name}'");
                }
                byte[] frame = Encoding.UTF8.GetBytes(data.Length == 0
                    ? Inv($"event: {name}\ndata:\nid: {id}\n\n")
                    : Inv($"event: {name}\ndata: {data}\nid: {id}\n\n"));
                Line(Inv($"event {at} {index} {flightJson.Length} {frame.Length} {(name == "closedConnection" ? 1 : 0)}"));
                file.Write(flightJson);
                file.Write(frame);
                Line("");
            }
        }
        File.Move(temp, outPath, overwrite: true);
    }

    private static InvalidOperationException Unsupported(int index, string what) =>
        new($"the limit peer's frame list cannot hold timeline entry {index}: {what} (it plays flightStateUpdate, closedConnection and drop)");

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    /// <summary>A flight as sseflights' snapshot writes it: flight, origin, arrival, state.</summary>
    private static byte[] FlightJson(Flight flight)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Compact))
        {
            json.WriteStartObject();
            json.WriteString("flight", flight.Code);
            json.WriteString("origin", flight.Origin);
            json.WriteString("arrival", flight.Arrival);
            json.WriteString("state", flight.State);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static string CompactJson(JsonElement element)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Compact)) element.WriteTo(json);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record Flight(string Code, string Origin, string Arrival, string State);
}
