using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using SseFlights.Scenario;

namespace SseFlights.Board;

/// <summary>The <c>snapshot</c> event's data: the whole board.</summary>
internal sealed record SnapshotPayload(IReadOnlyList<Flight> Flights);

/// <summary>GET /api/flights.</summary>
internal sealed record FlightsResponse(long LastEventId, bool Closed, IReadOnlyList<Flight> Flights);

/// <summary>GET /healthz.</summary>
internal sealed record HealthResponse(
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason,
    int Clients, long LastEventId, DateTime StartedAt, double Speed, bool Closed);

/// <summary>GET /api/scenario: what the page needs to know before it listens (custom event names).</summary>
internal sealed record ScenarioInfo(string Name, IReadOnlyList<string> CustomEvents, bool Repeat, double? Cycle, int Flights, int Entries);

/// <summary>GET /api/stats: the process's own counters, for benchmarks (bytes allocated per delivery).</summary>
internal sealed record ProcessStats(long AllocatedBytes, IReadOnlyList<int> GcCollections, long HeapBytes, int ThreadPoolThreads, int Clients);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SnapshotPayload))]
[JsonSerializable(typeof(FlightsResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(ScenarioInfo))]
[JsonSerializable(typeof(ProcessStats))]
internal sealed partial class BoardJsonContext : JsonSerializerContext;

/// <summary>Compact JSON for everything the server says about the board, non-ASCII kept as UTF-8.</summary>
internal static class BoardJson
{
    private static readonly JsonSerializerOptions Options = new(BoardJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly BoardJsonContext Context = new(Options);

    public static string Snapshot(IReadOnlyList<Flight> flights) =>
        JsonSerializer.Serialize(new SnapshotPayload(flights), Context.SnapshotPayload);

    public static byte[] Serialize(FlightsResponse value) => JsonSerializer.SerializeToUtf8Bytes(value, Context.FlightsResponse);

    public static byte[] Serialize(HealthResponse value) => JsonSerializer.SerializeToUtf8Bytes(value, Context.HealthResponse);

    public static byte[] Serialize(ScenarioInfo value) => JsonSerializer.SerializeToUtf8Bytes(value, Context.ScenarioInfo);

    public static byte[] Serialize(ProcessStats value) => JsonSerializer.SerializeToUtf8Bytes(value, Context.ProcessStats);
}
