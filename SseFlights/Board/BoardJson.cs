using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using SseFlights.Scenario;

namespace SseFlights.Board;

/// <summary>The <c>snapshot</c> event's data: the whole board.</summary>
internal sealed record SnapshotPayload(IReadOnlyList<Flight> Flights);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SnapshotPayload))]
internal sealed partial class BoardJsonContext : JsonSerializerContext;

/// <summary>The snapshot event's JSON: compact, non-ASCII kept as UTF-8.</summary>
internal static class BoardJson
{
    private static readonly JsonSerializerOptions Options = new(BoardJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly BoardJsonContext Context = new(Options);

    public static string Snapshot(IReadOnlyList<Flight> flights) =>
        JsonSerializer.Serialize(new SnapshotPayload(flights), Context.SnapshotPayload);
}
