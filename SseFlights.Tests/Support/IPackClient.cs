using SseFlights.Scenario;

namespace SseFlights.Tests.Support;

/// <summary>
/// One client of the pack, loaded and ready to play one case (a node process with its package
/// imported, a fresh browser page): loaded before the server starts, since the case's clock starts
/// with the server. Disposing it stops whatever it started.
/// </summary>
internal interface IPackClient : IAsyncDisposable
{
    /// <summary>
    /// Connects to <paramref name="stream"/>, sending <paramref name="request"/> where it can (its method, headers and
    /// body; from a page of another origin where it has pages), and reports what it did once it has stopped by
    /// itself, or its deadline has passed.
    /// </summary>
    Task<ClientReport> PlayAsync(Uri stream, ClientRequest request, CancellationToken cancellationToken);
}
