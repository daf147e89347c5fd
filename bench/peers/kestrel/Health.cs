using System.Text.Json.Serialization;

namespace KestrelPeer;

/// <summary>The /healthz body, with the same fields as sseflights.</summary>
internal sealed record Health(string Status, int Clients, long LastEventId, DateTime StartedAt, double Speed, bool Closed);

/// <summary>The /api/stats fields the bench reads from sseflights: bytes allocated so far and GC
/// collections by generation (<c>GC.CollectionCount(0..2)</c>).</summary>
internal sealed record Stats(long AllocatedBytes, IReadOnlyList<int> GcCollections);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Health))]
[JsonSerializable(typeof(Stats))]
internal sealed partial class HealthJsonContext : JsonSerializerContext;
