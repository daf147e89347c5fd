using System.Text.Json.Serialization;

namespace SseFlights.Http;

/// <summary>The next timeline entry, in GET /api/control: what it is (event, drop, comment, retry, raw), and the event's name for an event.</summary>
internal sealed record ControlNext(int Index, string Kind, string? Event, double At, double? InSeconds);

/// <summary>GET /api/control.</summary>
internal sealed record ControlState(string State, double ScenarioTime, long Cycle, ControlNext? Next, long LastEventId, bool Closed, int OpenStreams);

/// <summary>GET /api/control with <c>--nats</c>: the timeline is the log's (<paramref name="Log"/> says which), so there is no scenario time.</summary>
internal sealed record LiveControlState(string State, string Log, long LastEventId, bool Closed, int OpenStreams);

/// <summary>201 from POST /api/control/events.</summary>
internal sealed record ControlCreated(long? Id);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(ControlState))]
[JsonSerializable(typeof(LiveControlState))]
[JsonSerializable(typeof(ControlCreated))]
internal sealed partial class ControlJsonContext : JsonSerializerContext;
