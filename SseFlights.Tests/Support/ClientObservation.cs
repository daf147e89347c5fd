using SseFlights.Scenario;

namespace SseFlights.Tests.Support;

/// <summary>
/// What one client observed in one case of the pack, in the shape of the case's expect block: the
/// events it dispatched (type, data, the last event id it held), the <c>GET /events</c> it made as
/// the server counted them (null for a client that makes no requests of its own, a bare parser),
/// and the reconnection time it ended with, if it reconnected; and every request as the server's log
/// shows it (null for a bare parser, like the count).
/// </summary>
internal sealed record ClientObservation(IReadOnlyList<ExpectedEvent> Events, int? Requests, RetryReading? Retry, IReadOnlyList<ObservedRequest>? RequestLog = null);
