using SseFlights.Scenario;

namespace SseFlights.Tests.Support;

/// <summary>
/// One client of the pack, loaded and ready to play one case (a node process with its package
/// imported, a fresh browser page): loaded before the server starts, since the case's clock starts
/// with the server. Disposing it stops whatever it started.
/// </summary>
internal interface IPackClient : IAsyncDisposable
{
    /// <summary>Connects to <paramref name="stream"/> and reports what it did once it has stopped by itself, or its deadline has passed.</summary>
    Task<ClientReport> PlayAsync(Uri stream, CancellationToken cancellationToken);
}

/// <summary>
/// What a client reported: the events it dispatched, the reconnection time it ended with (null if it
/// never reconnected), whether it stopped by itself (CLOSED, or its promise settled) before its
/// deadline, and anything else it said (error events, waits), for a failure message.
/// </summary>
internal sealed record ClientReport(IReadOnlyList<ExpectedEvent> Events, RetryReading? Retry, bool Stopped, string Notes);
