using SseFlights.Tests.Support;

namespace SseFlights.Tests.Hardening;

/// <summary>Under random disconnects and scenario drops, every client sees every event exactly once, in order.</summary>
[NonParallelizable]
public class NoLossTests
{
    [Test]
    [CancelAfter(180_000)]
    public async Task RandomDisconnectsAndDrops_LoseNothingAndDuplicateNothing()
    {
        int seed = Environment.GetEnvironmentVariable("SSEFLIGHTS_SEED") is { } given ? int.Parse(given) : Random.Shared.Next();
        TestContext.Out.WriteLine($"seed {seed} (rerun with SSEFLIGHTS_SEED={seed})");
        const int Clients = 120, Events = 400;

        // 400 events 0.5 s apart at speed 100 (one every 5 ms) with a drop every 80, and a history
        // small enough that some resumes fall back to a snapshot.
        await using var server = await TestServer.StartAsync(
            Scenarios.Busy(Events, 0.5, close: true, dropEvery: 80, start: 20),
            configure: o => o with { Speed = 100, History = 48, RetryMilliseconds = 0 });
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1000 }) { BaseAddress = new Uri(server.BaseUrl) };

        var clients = Enumerable.Range(0, Clients).Select(_ => new BoardClient(http)).ToList();
        var runs = clients.Select((client, i) =>
        {
            var random = new Random(seed + i);
            return Task.Run(() => client.RunAsync(() => false, CancellationToken.None, seen => random.Next(40) == 0));
        });
        await Task.WhenAll(runs);

        var board = BoardClient.Rows((await server.GetJsonAsync("api/flights")).GetProperty("flights"));
        int reconnects = clients.Sum(c => c.Connections) - Clients;
        int delivered = clients.Sum(c => c.Received.Count(r => r.Type != "snapshot"));
        int snapshotFallbacks = clients.Sum(c => c.Snapshots) - Clients;
        TestContext.Out.WriteLine(
            $"clients {Clients}, reconnects {reconnects}, events delivered {delivered}, resent {clients.Sum(c => c.Resent)}, "
            + $"snapshots after a gap beyond the history {snapshotFallbacks}, gaps {clients.Sum(c => c.Gaps)}, duplicates {clients.Sum(c => c.Duplicates)}");

        Assert.That(reconnects, Is.GreaterThan(Clients * 3), "the test must really disconnect and resume a lot");
        foreach (var client in clients)
        {
            Assert.That((client.Gaps, client.Duplicates), Is.EqualTo((0, 0)));
            Assert.That(client.Received[^1], Is.EqualTo(("closedConnection", (long)Events + 1)), "everyone gets the close, last");
            Assert.That(client.Board, Is.EqualTo(board));

            // Every id after each snapshot, in order: the only holes are the ones a snapshot covers.
            long expected = -1;
            foreach (var (type, id) in client.Received)
            {
                Assert.That(type == "snapshot" ? id >= expected : id == expected + 1 || expected < 0, Is.True, $"id {id} after {expected}");
                expected = id;
            }
        }
    }
}
