using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Hardening;

/// <summary>
/// <c>--drain</c>: a stopping replica ends its streams a few at a time across the window, so its
/// clients come back to the others spread out instead of all within one retry interval.
/// </summary>
[NonParallelizable]
public class DrainTests
{

    [Test]
    [CancelAfter(120_000)]
    public async Task Sigterm_WithDrain3And300Streams_EndsThemCleanlySpreadOverTheWindowAndExits0()
    {
        await using var server = await ServerProcess.StartAsync(Scenarios.Busy(600, 0.1), "--log-level", "Warning", "--drain", "3");
        var clients = await OpenAsync(server, 300);

        long signalled = Stopwatch.GetTimestamp();
        server.Program.Signal(Signals.Sigterm);
        await RefusedAsync(server.Port);
        Assert.That(clients.Count(c => c.Ended), Is.LessThan(30), "streams ended by the time the port refused");

        int code = await server.Program.WaitForExitAsync(TimeSpan.FromSeconds(5));
        await Eventually.TrueAsync(() => clients.All(c => c.Ended), TimeSpan.FromSeconds(10), "every stream to end");

        var ends = clients.Select(c => Stopwatch.GetElapsedTime(signalled, c.EndedAt).TotalSeconds).Order().ToList();
        int busiestSlice = ends.Select((start, i) => ends.Skip(i).TakeWhile(end => end < start + 0.3).Count()).Max();
        TestContext.Out.WriteLine($"ends from {ends[0]:0.000} s to {ends[^1]:0.000} s after the signal; busiest 0.3 s holds {busiestSlice}");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(clients.Count(c => !c.CleanEnd), Is.EqualTo(0), "every stream ends with the chunked body's last chunk");
        Assert.That(ends[^1] - ends[0], Is.GreaterThanOrEqualTo(2.5), "the ends span the window");
        Assert.That(busiestSlice, Is.LessThanOrEqualTo(45), "no 0.3 s slice holds more than 15 % of the ends");

        // The streams ended last stayed live meanwhile: events went on reaching them during the drain.
        var last = clients.OrderBy(c => c.EndedAt).TakeLast(30).ToList();
        Assert.That(last.All(c => c.Ids.Any(id => Stopwatch.GetElapsedTime(signalled, id.Timestamp) > TimeSpan.FromSeconds(2))), Is.True,
            "the last streams got events more than 2 s into the drain");
        await DisposeAsync(clients);
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task SecondSignal_DuringALongDrain_EndsTheRestAtOnceAndExits0()
    {
        await using var server = await ServerProcess.StartAsync(Scenarios.Busy(600, 0.1), "--log-level", "Warning", "--drain", "60");
        var clients = await OpenAsync(server, 100);

        server.Program.Signal(Signals.Sigterm);
        await Eventually.TrueAsync(() => clients.Count(c => c.Ended) >= 3, TimeSpan.FromSeconds(10), "the drain to have ended a few streams");
        Assert.That(clients.Count(c => c.Ended), Is.LessThan(50), "a 60 s drain is only beginning");
        server.Program.Signal(Signals.Sigterm);

        int code = await server.Program.WaitForExitAsync(TimeSpan.FromSeconds(3));
        await Eventually.TrueAsync(() => clients.All(c => c.Ended), TimeSpan.FromSeconds(10), "every stream to end");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(clients.Count(c => !c.CleanEnd), Is.EqualTo(0), "the rest end cleanly too");
        await DisposeAsync(clients);
    }

    private static async Task<List<RawSseClient>> OpenAsync(ServerProcess server, int count)
    {
        var clients = new List<RawSseClient>();
        for (int i = 0; i < count; i++)
        {
            clients.Add(await RawSseClient.ConnectAsync(server.Port));
        }

        await Eventually.ValueAsync(server.ClientsAsync, n => n == count, TimeSpan.FromSeconds(30), $"{count} open streams");
        return clients;
    }

    /// <summary>Waits until a new connection to <paramref name="port"/> is refused: the listening socket has closed.</summary>
    private static Task RefusedAsync(int port) =>
        Eventually.ValueAsync(
            async () =>
            {
                using var probe = new TcpClient();
                try
                {
                    await probe.ConnectAsync(IPAddress.Loopback, port);
                    return false;
                }
                catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
                {
                    return true;
                }
            },
            refused => refused,
            TimeSpan.FromSeconds(2),
            "the port to refuse connections");

    private static async Task DisposeAsync(List<RawSseClient> clients)
    {
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }
}
