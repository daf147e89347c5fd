using System.Diagnostics;
using System.Globalization;
using SseFlights.Http;
using SseFlights.Http.Listener;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Hardening;

/// <summary>Graceful shutdown under load, loopback-only binding, and the direct write path being in use.</summary>
[NonParallelizable]
public class ShutdownAndLimitsTests
{
    [CancelAfter(120_000)]
    [TestCase("direct")]
    [TestCase("listener")]
    public async Task Sigterm_With1000OpenStreams_EndsEveryStreamCleanlyAndExits0Within2Seconds(string writePath)
    {
        await using var server = await ServerProcess.StartOnWritePathAsync(writePath, Scenarios.Busy(20, 5), "--log-level", "Warning");
        var clients = new List<RawSseClient>();
        for (int i = 0; i < 1000; i++)
        {
            clients.Add(await RawSseClient.ConnectAsync(server.Port));
        }

        await Eventually.ValueAsync(server.ClientsAsync, n => n == 1000, TimeSpan.FromSeconds(30), "1000 open streams");
        server.Program.Signal(Signals.Sigterm);

        // Ending 1,000 streams is one clean last chunk each; the process must be gone within 2 s.
        int code = await server.Program.WaitForExitAsync(TimeSpan.FromSeconds(2));

        await Eventually.TrueAsync(() => clients.All(c => c.Ended), TimeSpan.FromSeconds(10), "every client to see its stream end");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(clients.Count(c => !c.CleanEnd), Is.EqualTo(0), "every stream must end with the chunked body's last chunk, not a reset");
        Assert.That(server.Program.Stdout, Does.Contain("Stopped cleanly"));
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Sigterm_StopsAcceptingBeforeItEndsTheStreams_SoAReconnectLandsElsewhere()
    {
        await using var server = await ServerProcess.StartAsync(Scenarios.Busy(20, 5), "--log-level", "Warning");
        await using var client = await RawSseClient.ConnectAsync(server.Port);
        await Eventually.ValueAsync(server.ClientsAsync, n => n == 1, TimeSpan.FromSeconds(10), "the open stream");

        server.Program.Signal(Signals.Sigterm);
        await Eventually.TrueAsync(() => client.Ended, TimeSpan.FromSeconds(10), "the stream to end");

        // The moment the stream has ended, as a reconnecting client would: the port already refuses.
        using var probe = new System.Net.Sockets.TcpClient();
        var refused = Assert.CatchAsync<System.Net.Sockets.SocketException>(() => probe.ConnectAsync(System.Net.IPAddress.Loopback, server.Port));
        Assert.That((refused!.SocketErrorCode, client.CleanEnd), Is.EqualTo((System.Net.Sockets.SocketError.ConnectionRefused, true)));
        Assert.That(await server.Program.WaitForExitAsync(TimeSpan.FromSeconds(5)), Is.EqualTo(0));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task DefaultHost_ListensOnLoopbackOnly()
    {
        await using var server = await ServerProcess.StartAsync(Scenarios.Tutorial);
        string port = server.Port.ToString("X4", CultureInfo.InvariantCulture);

        // /proc/net/tcp{,6}: local address in hex, state 0A is LISTEN.
        var listening = File.ReadLines("/proc/net/tcp").Concat(File.ReadLines("/proc/net/tcp6"))
            .Select(l => l.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > 3 && f[1].EndsWith(":" + port, StringComparison.Ordinal) && f[3] == "0A")
            .Select(f => f[1][..f[1].IndexOf(':')])
            .ToList();

        Assert.That(listening, Is.Not.Empty);
        Assert.That(listening, Is.All.EqualTo("0100007F").Or.EqualTo("00000000000000000000000001000000"), "only 127.0.0.1 or ::1");
    }

    [Test]
    public void DirectChunkedWrites_AreSupportedByThisRuntime() =>
        Assert.That(ListenerInternals.Probe(WritePath.Direct).DirectWritesFound, Is.True,
            "HttpListener's internals changed: streams fell back to the listener's own writer, where a stalled reader blocks a thread. Update DirectChunkedBody.");
}
