using System.Diagnostics;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Proxy;

/// <summary>
/// A rolling restart behind the shipped replicas.conf, as an operator does it: one replica at a
/// time gets SIGTERM and, once it has exited, a fresh process on its port and epoch, while 60
/// clients stream through nginx.
/// </summary>
public class ReplicaRollingRestartTests
{
    private const int Clients = 60;
    private const int LateClients = 30;
    private const int Events = 400;

    [Test]
    [CancelAfter(120_000)]
    public async Task RollingRestartOfAllThree_ClientsMoveToTheOthers_NoGapNoDuplicate_AndEveryFreshReplicaServesStreams(CancellationToken cancellationToken)
    {
        // 400 events 50 ms apart from 0.5 s after the epoch, then the close at 20.5 s: the three
        // restarts (one to two seconds each, more on a loaded machine) fit well inside.
        string scenario = Scenarios.Busy(Events, 0.05, close: true, start: 0.5);
        await using var replicas = await ReplicaSet.StartAsync(scenario, 3, TimeSpan.FromSeconds(1.5), "--retry", "0", "--log-level", "Warning");
        var nginx = await replicas.StartNginxAsync();
        using var crowd = new BoardCrowd(nginx.BaseUrl);
        crowd.Start(Clients, cancellationToken);
        await AllStreamingAsync(replicas, Clients, "the 60 clients");
        await Eventually.ValueAsync(() => replicas.NewestIdAsync(0), id => id >= 20, TimeSpan.FromSeconds(30), "the timeline under way");

        var stopped = new int[3];
        for (int i = 0; i < 3; i++)
        {
            stopped[i] = await replicas[i].ClientsAsync();
            var (stopping, starting) = await replicas.RestartAsync(i);
            var moving = Stopwatch.StartNew();

            // The next replica goes only once every client streams again (on the other two, as this one refused them).
            await AllStreamingAsync(replicas, Clients, $"every client back after replica {i} restarted");
            TestContext.Out.WriteLine(
                $"replica {i}: {stopped[i]} streams ended, exited in {stopping.TotalMilliseconds:0} ms, fresh one serving {starting.TotalMilliseconds:0} ms later, all 60 streaming {moving.ElapsedMilliseconds} ms after that, at id {await replicas.NewestIdAsync(i)}");
        }

        long afterRestarts = await replicas.NewestIdAsync(0);
        Assert.That(afterRestarts, Is.LessThan(Events - 20), "the rolling restart must be over well before the close, or the rest proves nothing");

        // New visitors through nginx are spread over all three, so every fresh replica serves streams.
        crowd.Start(LateClients, cancellationToken);
        var spread = await Eventually.ValueAsync(() => replicas.StreamsAsync(), s => s.Sum() == Clients + LateClients && s.All(n => n > 0), TimeSpan.FromSeconds(30), "streams on every fresh replica");
        await crowd.WhenAllClosedAsync(TimeSpan.FromSeconds(60), cancellationToken);

        TestContext.Out.WriteLine($"{crowd.Figures()}, streams ended per restart [{string.Join(", ", stopped)}], after the restart at id {afterRestarts} streams per replica [{string.Join(", ", spread)}]");
        Assert.That(stopped, Has.All.GreaterThan(0), "each replica had streams when it was stopped");
        Assert.That(crowd.Reconnects, Is.GreaterThanOrEqualTo(stopped.Sum()), "every stream a restart ended came back");
        crowd.AssertEveryoneWholeAndClosedOnce(scenario, Events + 1);
    }

    private static Task AllStreamingAsync(ReplicaSet replicas, int clients, string what) =>
        Eventually.ValueAsync(async () => (await replicas.StreamsAsync()).Sum(), n => n == clients, TimeSpan.FromSeconds(30), what);
}
