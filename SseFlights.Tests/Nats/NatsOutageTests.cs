using System.Text;
using Microsoft.Extensions.Time.Testing;
using SseFlights.Cli;
using SseFlights.Nats;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Nats;

/// <summary>The log's server goes away and comes back on the same store: reading goes on with no gap and no duplicate, and the reachability says what happened.</summary>
public class NatsOutageTests
{
    private static byte[] Body(int n) => Encoding.UTF8.GetBytes($$"""{"comment":"m{{n}}"}""");

    [Test]
    [CancelAfter(120_000)]
    public async Task ReadFrom_ServerStopsAndStartsAgain_EverySequenceOnceInOrder_AndUnreachableSeenThenCleared(CancellationToken cancellationToken)
    {
        await using var server = await NatsServer.StartAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        var options = new NatsLogOptions(server.Url, "board", null, 100);
        await using var log = await NatsLog.ConnectAsync(options, time, Serilog.Core.Logger.None, cancellationToken);
        var statuses = new List<LogStatus>();
        log.StatusChanged += status =>
        {
            lock (statuses)
            {
                statuses.Add(status);
            }
        };
        await log.EnsureStreamAsync(cancellationToken);
        for (int n = 1; n <= 3; n++)
        {
            await log.AppendAsync(Body(n), null, cancellationToken);
        }

        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var read = new List<(long Sequence, string Body)>();
        var reading = Task.Run(async () =>
        {
            await foreach (var record in log.ReadFromAsync(1, stopReading.Token))
            {
                lock (read)
                {
                    read.Add((record.Sequence, Encoding.UTF8.GetString(record.Payload)));
                }
            }
        }, CancellationToken.None);
        int Count()
        {
            lock (read)
            {
                return read.Count;
            }
        }

        await Eventually.TrueAsync(() => Count() == 3, TimeSpan.FromSeconds(20), "messages 1 to 3");
        Assert.That(log.Status, Is.EqualTo(new LogStatus(Reachability.Reachable, time.GetUtcNow())));

        // The fake clock stands still while the client notices each change, so each is stamped exactly.
        time.Advance(TimeSpan.FromSeconds(5));
        await server.StopAsync();
        await Eventually.TrueAsync(() => log.Status.Reachability == Reachability.Unreachable, TimeSpan.FromSeconds(20), "the log to be unreachable");
        var downSince = log.Status.Since;
        time.Advance(TimeSpan.FromSeconds(7));
        await server.StartAgainAsync();
        await Eventually.TrueAsync(() => log.Status.Reachability == Reachability.Reachable, TimeSpan.FromSeconds(30), "the log to be reachable again");

        // One appended by another process, two by this one once it is back.
        await using (var other = await NatsLog.ConnectAsync(options, TimeProvider.System, Serilog.Core.Logger.None, cancellationToken))
        {
            await other.EnsureStreamAsync(cancellationToken);
            Assert.That(await other.AppendAsync(Body(4), null, cancellationToken), Is.EqualTo(4));
        }

        Assert.That(await log.AppendAsync(Body(5), null, cancellationToken), Is.EqualTo(5));
        Assert.That(await log.AppendAsync(Body(6), null, cancellationToken), Is.EqualTo(6));
        await Eventually.TrueAsync(() => Count() >= 6, TimeSpan.FromSeconds(30), "messages 4 to 6");
        await stopReading.CancelAsync();
        Assert.That(async () => await reading, Throws.InstanceOf<OperationCanceledException>());

        Assert.That(read, Is.EqualTo(Enumerable.Range(1, 6).Select(n => ((long)n, $$"""{"comment":"m{{n}}"}"""))));
        Assert.That(downSince, Is.EqualTo(new DateTimeOffset(2026, 12, 1, 8, 0, 5, TimeSpan.Zero)));
        lock (statuses)
        {
            Assert.That(statuses, Is.EqualTo(new[]
            {
                new LogStatus(Reachability.Unreachable, downSince),
                new LogStatus(Reachability.Reachable, downSince.AddSeconds(7)),
            }));
        }
    }
}
