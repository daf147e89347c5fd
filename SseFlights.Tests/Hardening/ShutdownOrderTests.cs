using System.Net;
using System.Net.Sockets;
using SseFlights.Http;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Hardening;

/// <summary>A replica shutting down stops accepting before it ends its streams, so their reconnects land on another replica.</summary>
public class ShutdownOrderTests
{
    /// <summary>Serves the bundled page, but a request for <c>/slow</c> holds its pool thread until released: a request still in flight at shutdown.</summary>
    private sealed class HeldFileSource : IFileSource
    {
        private readonly EmbeddedFileSource _files = new();

        public ManualResetEventSlim Entered { get; } = new();

        public ManualResetEventSlim Release { get; } = new();

        /// <summary>Set once the held request's handler has returned.</summary>
        public bool Returned { get; private set; }

        public StaticFile? Find(IReadOnlyList<string> segments)
        {
            if (segments is ["slow"])
            {
                Entered.Set();
                Release.Wait(TimeSpan.FromSeconds(30));
                Returned = true;
                return null;
            }

            return _files.Find(segments);
        }
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Shutdown_WithARequestStillInFlight_RefusesConnectionsByTheTimeItsStreamsHaveEnded()
    {
        var files = new HeldFileSource();
        var server = await TestServer.StartAsync(Scenarios.Busy(20, 5), files: files);
        var streams = await server.OpenStreamsAsync(1);
        var slow = server.Http.GetAsync("slow");
        Assert.That(files.Entered.Wait(TimeSpan.FromSeconds(10)), Is.True, "the slow request to be in flight");

        // Shutdown waits (up to its drain limit) for that request; the stream ends first.
        var stopping = server.DisposeAsync().AsTask();
        await streams[0].ReadToEndAsync(TimeSpan.FromSeconds(10));

        // The stream has ended, the request is still running: a reconnect now must be refused, not accepted and left hanging.
        using var probe = new TcpClient();
        var refused = Assert.CatchAsync<SocketException>(() => probe.ConnectAsync(IPAddress.Loopback, server.Port));
        Assert.That(refused!.SocketErrorCode, Is.EqualTo(SocketError.ConnectionRefused));
        // Its handler, not its client: after a drain limit the server gives up on the client's connection, but the
        // handler still runs, so the listener was not closed because every request had ended.
        Assert.That(files.Returned, Is.False, "the in-flight request is what keeps the server from having closed its listener by itself");

        files.Release.Set();
        await stopping;
        await streams[0].DisposeAsync();
        try
        {
            (await slow).Dispose();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            // Cut by the shutdown (or by the test server's client being disposed): all this test needed of it was to be in flight.
        }
    }
}
