using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using SseFlights.Scenario;

namespace SseFlights.Http;

/// <summary>GET /api/flights.</summary>
internal sealed record FlightsResponse(long LastEventId, bool Closed, IReadOnlyList<Flight> Flights);

/// <summary>GET /healthz.</summary>
internal sealed record HealthResponse(
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason,
    int Clients, long LastEventId, DateTime StartedAt, double Speed, bool Closed)
{
    /// <summary>The <c>--epoch</c>, when replicas share one (absent otherwise).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTime? Epoch { get; init; }

    /// <summary>The scenario file's SHA-256: replicas must show the same one (absent for a server built without a file, as in tests).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ScenarioSha256 { get; init; }

    /// <summary>With <c>--nats</c>: the last sequence of the log this replica has applied (absent otherwise).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? LogSequence { get; init; }

    /// <summary>With <c>--nats</c>, while the log is unreachable: for how long, in seconds (absent while it is reachable).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? LogUnreachableSeconds { get; init; }
}

/// <summary>GET /api/scenario: what the page needs to know before it listens (custom event names).</summary>
internal sealed record ScenarioInfo(string Name, IReadOnlyList<string> CustomEvents, bool Repeat, double? Cycle, int Flights, int Entries)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTime? Epoch { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Sha256 { get; init; }
}

/// <summary>GET /api/stats: the process's own counters, for benchmarks (bytes allocated per delivery).</summary>
internal sealed record ProcessStats(long AllocatedBytes, IReadOnlyList<int> GcCollections, long HeapBytes, int ThreadPoolThreads, int Clients, string WritePath)
{
    /// <summary>Full (gen-2) collections by the runtime's reason, such as AllocLarge for large buffers; absent where the runtime's GC events are off.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, long>? Gen2Reasons { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(FlightsResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(ScenarioInfo))]
[JsonSerializable(typeof(ProcessStats))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;

/// <summary>Compact JSON for the API's answers, non-ASCII kept as UTF-8.</summary>
internal static class ApiJson
{
    private static readonly ApiJsonContext Context = new(new JsonSerializerOptions(ApiJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static byte[] Serialize(FlightsResponse value) => JsonSerializer.SerializeToUtf8Bytes(value, Context.FlightsResponse);

    public static byte[] Serialize(HealthResponse value) => JsonSerializer.SerializeToUtf8Bytes(value, Context.HealthResponse);

    public static byte[] Serialize(ScenarioInfo value) => JsonSerializer.SerializeToUtf8Bytes(value, Context.ScenarioInfo);

    public static byte[] Serialize(ProcessStats value) => JsonSerializer.SerializeToUtf8Bytes(value, Context.ProcessStats);
}
