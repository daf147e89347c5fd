using System.Text.Json.Serialization;

namespace KestrelPeer;

/// <summary>The /healthz body, with the same fields as sseflights.</summary>
internal sealed record Health(string Status, int Clients, long LastEventId, DateTime StartedAt, double Speed, bool Closed);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Health))]
internal sealed partial class HealthJsonContext : JsonSerializerContext;
