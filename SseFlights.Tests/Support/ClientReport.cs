using SseFlights.Scenario;

namespace SseFlights.Tests.Support;

/// <summary>
/// What a client reported: the events it dispatched, the reconnection time it ended with (null if it
/// never reconnected), whether it stopped by itself (CLOSED, or its promise settled) before its
/// deadline, and anything else it said (error events, waits), for a failure message.
/// </summary>
internal sealed record ClientReport(IReadOnlyList<ExpectedEvent> Events, RetryReading? Retry, bool Stopped, string Notes);
