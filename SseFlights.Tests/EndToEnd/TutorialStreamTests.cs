using System.Net;
using Microsoft.Extensions.Time.Testing;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.EndToEnd;

/// <summary>The tutorial's story over the real server, on a fake clock so every event's moment is exact.</summary>
public class TutorialStreamTests
{
    [Test]
    [CancelAfter(30_000)]
    public async Task Stream_FromTheStart_SendsRetrySnapshotThenEachEventAtItsTimeThenEnds()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));
        await using var server = await TestServer.StartAsync(Scenarios.Tutorial, time);
        await using var client = await SseConnection.OpenAsync(server.Http);

        Assert.That(client.Response.Content.Headers.ContentType!.ToString(), Is.EqualTo("text/event-stream; charset=utf-8"));
        Assert.That((client.Response.Headers.CacheControl!.NoCache, client.Response.Headers.CacheControl.NoTransform), Is.EqualTo((true, true)));
        Assert.That(client.Response.Headers.GetValues("X-Accel-Buffering").Single(), Is.EqualTo("no"));

        var snapshot = await client.NextAsync();
        Assert.That((snapshot!.Value.EventType, snapshot.Value.EventId), Is.EqualTo(("snapshot", "0")));
        Assert.That(client.RawText, Is.EqualTo("retry: 3000\n\n" + TutorialBytes.Snapshot0));

        // Each event arrives once the clock reaches it (that none fires early is pinned to the tick in ScenarioSourceTests).
        time.Advance(TimeSpan.FromSeconds(3));
        var first = await client.NextAsync();
        Assert.That((first!.Value.EventType, first.Value.EventId, first.Value.Data), Is.EqualTo(("flightStateUpdate", "1", "{\"flight\":\"I768\",\"state\":\"landing\"}")));

        time.Advance(TimeSpan.FromSeconds(3));
        Assert.That((await client.NextAsync())!.Value.EventId, Is.EqualTo("2"));
        time.Advance(TimeSpan.FromSeconds(3));
        Assert.That((await client.NextAsync())!.Value.EventId, Is.EqualTo("3"));
        time.Advance(TimeSpan.FromSeconds(3));
        var close = await client.NextAsync();
        Assert.That((close!.Value.EventType, close.Value.EventId, close.Value.Data), Is.EqualTo(("closedConnection", "4", "")));

        Assert.That(await client.NextAsync(), Is.Null, "the stream must end after closedConnection");
        Assert.That(client.RawText, Is.EqualTo(TutorialBytes.Whole));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task AfterClose_NewClientsGet204_AndAnEarlierIdGetsTheRestEndingWithTheClose()
    {
        var time = new FakeTimeProvider();
        await using var server = await TestServer.StartAsync(Scenarios.Tutorial, time);
        time.Advance(TimeSpan.FromSeconds(12));
        await Eventually.ValueAsync(() => server.GetJsonAsync("healthz"), h => h.GetProperty("closed").GetBoolean(), TimeSpan.FromSeconds(10), "the board to close");

        foreach (string? id in new[] { null, "4", "5", "abc", "99999999999999999999" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "events");
            if (id is not null)
            {
                request.Headers.TryAddWithoutValidation("Last-Event-ID", id);
            }

            using var response = await server.Http.SendAsync(request);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), $"Last-Event-ID {id ?? "(none)"}");
        }

        await using var late = await SseConnection.OpenAsync(server.Http, lastEventId: "1");
        Assert.That((await late.ReadToEndAsync()).Select(e => e.EventId), Is.EqualTo(new[] { "2", "3", "4" }));
        Assert.That(late.RawText, Is.EqualTo("retry: 3000\n\n" + TutorialBytes.Event2 + TutorialBytes.Event3 + TutorialBytes.Event4));

        // A client away for longer than the history gets the final board and then the close.
        await using var negative = await SseConnection.OpenAsync(server.Http, lastEventId: "-3");
        Assert.That((await negative.ReadToEndAsync()).Select(e => (e.EventType, e.EventId)), Is.EqualTo(new[] { ("snapshot", "3"), ("closedConnection", "4") }));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task AfterClose_IdOlderThanHistory_GetsFinalSnapshotThenClose()
    {
        var time = new FakeTimeProvider();
        await using var server = await TestServer.StartAsync(Scenarios.Tutorial, time, o => o with { History = 2 });
        time.Advance(TimeSpan.FromSeconds(12));
        await Eventually.ValueAsync(() => server.GetJsonAsync("healthz"), h => h.GetProperty("closed").GetBoolean(), TimeSpan.FromSeconds(10), "the board to close");

        await using var client = await SseConnection.OpenAsync(server.Http, lastEventId: "1");
        var items = await client.ReadToEndAsync();
        Assert.That(items.Select(e => (e.EventType, e.EventId)), Is.EqualTo(new[] { ("snapshot", "3"), ("closedConnection", "4") }));
        Assert.That(items[0].Data, Does.Not.Contain("I768"));
    }
}
