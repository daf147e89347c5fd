using System.Net;
using System.Net.ServerSentEvents;
using Microsoft.Extensions.Time.Testing;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.EndToEnd;

/// <summary>Joining, resuming by header or query, and the ids a client cannot resume from.</summary>
public class ResumeTests
{
    private static async Task<TestServer> StartAtEventAsync(int reachedId, int history = 1024)
    {
        var time = new FakeTimeProvider();
        var server = await TestServer.StartAsync(Scenarios.Busy(20, 1.0, start: 1), time, o => o with { History = history, HeartbeatSeconds = 3600 });
        time.Advance(TimeSpan.FromSeconds(reachedId));
        await Eventually.ValueAsync(() => server.GetJsonAsync("healthz"), h => h.GetProperty("lastEventId").GetInt64() == reachedId, TimeSpan.FromSeconds(10), $"event {reachedId}");
        return server;
    }

    private static async Task<List<SseItem<string>>> FirstItemsAsync(TestServer server, string path, string? header, int count)
    {
        await using var client = await SseConnection.OpenAsync(server.Http, path, header);
        return await client.ReadAsync(count);
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Resume_ByHeader_SendsExactlyTheMissedEventsWithTheirOriginalBytes()
    {
        await using var server = await StartAtEventAsync(10);
        await using var everything = await SseConnection.OpenAsync(server.Http, lastEventId: "0");
        await everything.ReadAsync(10);

        await using var resumed = await SseConnection.OpenAsync(server.Http, lastEventId: "6");
        var items = await resumed.ReadAsync(4);
        Assert.That(items.Select(i => i.EventId), Is.EqualTo(new[] { "7", "8", "9", "10" }));

        // Resent frames are the very bytes first sent live.
        string all = everything.RawText;
        Assert.That(resumed.RawText, Is.EqualTo("retry: 3000\n\n" + all[all.IndexOf("event: ", all.IndexOf("id: 6\n"), StringComparison.Ordinal)..]));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Resume_ByQuery_Works_AndTheHeaderWinsOverTheQuery()
    {
        await using var server = await StartAtEventAsync(10);
        Assert.That((await FirstItemsAsync(server, "events?lastEventId=8", null, 2)).Select(i => i.EventId), Is.EqualTo(new[] { "9", "10" }));
        Assert.That((await FirstItemsAsync(server, "events?lastEventId=2", "9", 1)).Select(i => i.EventId), Is.EqualTo(new[] { "10" }));
    }

    [TestCase("abc")]
    [TestCase("-1")]
    [TestCase("11")]
    [TestCase("99999999999999999999")]
    [TestCase("5.0")]
    [CancelAfter(20_000)]
    public async Task Join_UnusableId_GetsASnapshotOfTheBoardNow(string id)
    {
        await using var server = await StartAtEventAsync(10);
        var first = (await FirstItemsAsync(server, "events", id, 1))[0];
        Assert.That((first.EventType, first.EventId), Is.EqualTo(("snapshot", "10")));

        var board = await server.GetJsonAsync("api/flights");
        Assert.That(first.Data, Is.EqualTo($"{{\"flights\":{board.GetProperty("flights").GetRawText()}}}"));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Join_IdOlderThanTheHistory_GetsASnapshot()
    {
        await using var server = await StartAtEventAsync(10, history: 3);
        Assert.That((await FirstItemsAsync(server, "events", "7", 3)).Select(i => i.EventId), Is.EqualTo(new[] { "8", "9", "10" }));
        var first = (await FirstItemsAsync(server, "events", "6", 1))[0];
        Assert.That((first.EventType, first.EventId), Is.EqualTo(("snapshot", "10")));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Join_AtTheNewestId_GoesLiveWithNothingResent()
    {
        var time = new FakeTimeProvider();
        await using var server = await TestServer.StartAsync(Scenarios.Busy(20, 1.0, start: 1), time, o => o with { HeartbeatSeconds = 3600 });
        time.Advance(TimeSpan.FromSeconds(5));
        await Eventually.ValueAsync(() => server.GetJsonAsync("healthz"), h => h.GetProperty("lastEventId").GetInt64() == 5, TimeSpan.FromSeconds(10), "event 5");

        await using var client = await SseConnection.OpenAsync(server.Http, lastEventId: "5");
        await Eventually.ValueAsync(server.ClientsAsync, n => n == 1, TimeSpan.FromSeconds(10), "the client to subscribe");
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.That((await client.NextAsync())!.Value.EventId, Is.EqualTo("6"));
        Assert.That(client.RawText, Does.StartWith("retry: 3000\n\nevent: flightStateUpdate\n"));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Resume_WhileEventsFire_HasNoGapAndNoDuplicateAtTheBoundary()
    {
        // 600 events 4 ms apart on the real clock; the client hangs up every few events and resumes at once.
        await using var server = await TestServer.StartAsync(Scenarios.Busy(600, 0.004, close: true), configure: o => o with { History = 4096 });
        var client = new BoardClient(server.Http);
        var random = new Random(7);
        await client.RunAsync(() => false, CancellationToken.None, seen => seen > 1 && random.Next(8) == 0);

        Assert.That(client.Connections, Is.GreaterThan(10), "the test must actually resume many times");
        Assert.That(client.Snapshots, Is.EqualTo(1), "only the first connection may start from a snapshot");
        Assert.That(EventIdsAfterTheSnapshot(client), Is.EqualTo(Expected(client, 601)));
        Assert.That((client.Gaps, client.Duplicates), Is.EqualTo((0, 0)));
        Assert.That(client.Board, Is.EqualTo(BoardClient.Rows((await server.GetJsonAsync("api/flights")).GetProperty("flights"))));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Drop_MakesAReconnectingClientResume_AndEndWithTheServersBoard()
    {
        await using var server = await TestServer.StartAsync(Scenarios.Busy(200, 0.01, close: true, dropEvery: 40), configure: o => o with { RetryMilliseconds = 0 });
        var client = new BoardClient(server.Http);
        await client.RunAsync(() => false, CancellationToken.None);

        Assert.That(client.Connections, Is.GreaterThanOrEqualTo(5), "each of the 5 drops must force a reconnect");
        Assert.That(client.Snapshots, Is.EqualTo(1), "only the first connection may start from a snapshot");
        Assert.That(EventIdsAfterTheSnapshot(client), Is.EqualTo(Expected(client, 201)));
        Assert.That(client.Board, Is.EqualTo(BoardClient.Rows((await server.GetJsonAsync("api/flights")).GetProperty("flights"))));
    }

    private static List<long> EventIdsAfterTheSnapshot(BoardClient client) =>
        [.. client.Received.Where(r => r.Type != "snapshot").Select(r => r.Id)];

    /// <summary>Every id after the first snapshot's, up to the close.</summary>
    private static List<long> Expected(BoardClient client, long last)
    {
        long first = client.Received[0].Id + 1;
        return [.. Enumerable.Range((int)first, (int)(last - first + 1)).Select(i => (long)i)];
    }
}
