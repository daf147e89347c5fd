namespace SseFlights.Scenario;

/// <summary>One event a conforming client dispatches: its type, its data, and the last event id it holds then.</summary>
internal sealed record ExpectedEvent(string Type, string Data, string LastEventId);

/// <summary>
/// What a client conforming to the WHATWG HTML spec (§9.2) must observe when it plays a case of the
/// client pack: every event it dispatches, how many <c>GET /events</c> it makes, and (where the case
/// is about retry) the reconnection time it ends with.
/// </summary>
internal sealed record ClientExpectation(IReadOnlyList<ExpectedEvent> Events, int Requests, int? Retry);
