using Microsoft.Extensions.Time.Testing;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Browser.Firefox;

/// <summary>
/// The board's core behaviours in Firefox, as LiveBoardTests and ConnectionTests check them in
/// Chromium, on the same scenarios: the snapshot and each live update in arrival order, Stop and
/// Resume with exactly the missed events, and the close.
/// </summary>
public class FirefoxBoardTests : FirefoxTest
{
    [Test]
    [CancelAfter(60_000)]
    public async Task Board_FollowsSnapshotThenEachUpdateAdditionAndRemoval_InArrivalOrder()
    {
        var time = new FakeTimeProvider();
        var server = await StartServerAsync(LiveBoardTests.Story, time);
        var page = await OpenPageAsync(server);
        await page.WaitForStatusAsync("live");
        await page.WaitForLastEventIdAsync(0);

        var london = new BoardRow("A1", "London", "08:15", "");
        var berlin = new BoardRow("B2", "Berlin", "08:45", "");
        var rome = new BoardRow("C3", "Rome", "09:05", "");
        Assert.That(await page.DomBoardAsync(), Is.EqualTo(new[] { london, berlin, rome }));

        var berlinLate = berlin with { State = "delayed", Arrival = "09:30" };
        var oslo = new BoardRow("D4", "Oslo", "08:30", "scheduled");
        var londonLanded = london with { State = "landed" };
        var osloEarly = oslo with { State = "on time", Arrival = "08:10" };
        var berlinEarly = berlinLate with { Arrival = "08:10" };
        var steps = new (string Event, BoardRow[] Board)[]
        {
            ("flightStateUpdate", [london, rome, berlinLate]),
            ("flightAddition", [london, oslo, rome, berlinLate]),
            ("flightStateUpdate", [londonLanded, oslo, rome, berlinLate]),
            ("flightRemoval", [londonLanded, oslo, berlinLate]),
            ("flightStateUpdate", [osloEarly, londonLanded, berlinLate]),
            ("flightStateUpdate", [berlinEarly, osloEarly, londonLanded]),
        };

        for (int id = 1; id <= steps.Length; id++)
        {
            time.AdvanceTo(id);
            await page.WaitForLastEventIdAsync(id);
            Assert.That(await page.DomBoardAsync(), Is.EqualTo(steps[id - 1].Board), $"the table after event {id}");
            Assert.That(await page.ModelBoardAsync(), Is.EqualTo(steps[id - 1].Board), $"window.sseflights.board() after event {id}");
        }

        // The removed row fades and then leaves the table.
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#board tbody tr').length === 3");
        var frames = await page.FramesAsync();
        Assert.That(frames.Select(f => (f.Id, f.Event)), Is.EqualTo(
            new (long?, string)[] { (0, "snapshot") }.Concat(steps.Select((s, i) => ((long?)(i + 1), s.Event)))));
        Assert.That(frames.Select(f => f.Resent), Has.All.False);
        Assert.That(await page.ModelBoardAsync(), Is.EqualTo(await BrowserTest.ServerBoardAsync(server)));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task StopThenResume_ServerLosesTheClient_AndResumeCatchesUpExactlyTheMissedEvents()
    {
        var time = new FakeTimeProvider();
        var server = await StartServerAsync(ConnectionTests.StopAndResume, time, o => o with { HeartbeatSeconds = 5 });
        var page = await OpenPageAsync(server);
        await page.WaitForStatusAsync("live");
        time.AdvanceTo(2);
        await page.WaitForLastEventIdAsync(2);
        Assert.That(await server.ClientsAsync(), Is.EqualTo(1));

        await page.ClickAsync("button#stop");
        await page.WaitForStatusAsync("stopped");
        Assert.That((await page.IsDisabledAsync("button#stop"), await page.IsDisabledAsync("button#resume")), Is.EqualTo((true, false)));

        // The server learns the socket is gone when a heartbeat fails to write (see ConnectionTests).
        await Eventually.ValueAsync(
            async () =>
            {
                if (time.ScenarioSeconds() < 90)
                {
                    time.Advance(TimeSpan.FromSeconds(1));
                }

                return await server.ClientsAsync();
            },
            clients => clients == 0,
            TimeSpan.FromSeconds(10),
            "the server to drop the stopped page's stream");

        time.AdvanceTo(102);
        await Eventually.ValueAsync(() => server.GetJsonAsync("healthz"), h => h.GetProperty("lastEventId").GetInt64() == 5, TimeSpan.FromSeconds(10), "event 5");
        Assert.That((await page.FramesAsync()).Select(f => f.Id), Is.EqualTo(new long?[] { 0, 1, 2 }));

        await page.ClickAsync("button#resume");
        await page.WaitForStatusAsync("live");
        await page.WaitForLastEventIdAsync(5);
        Assert.That(await page.IsVisibleAsync("#caught-up"), Is.True);
        await page.WaitForAttributeAsync("#caught-up", "data-count", "3");
        await page.WaitForTextAsync("#caught-up", "Caught up on 3 events");

        Assert.That((await page.FramesAsync()).Select(f => (f.Id, f.Event, f.Resent)), Is.EqualTo(new (long?, string, bool)[]
        {
            (0, "snapshot", false), (1, "flightStateUpdate", false), (2, "flightStateUpdate", false),
            (3, "flightStateUpdate", true), (4, "flightAddition", true), (5, "flightRemoval", true),
        }));
        Assert.That(await page.DomBoardAsync(), Is.EqualTo(await BrowserTest.ServerBoardAsync(server)));
        Assert.That(page.EventsRequests(), Is.EqualTo(new (string, string?)[] { ("/events", null), ("/events?lastEventId=2", null) }));
        Assert.That(await page.EvaluateAsync<int>("() => window.sseflights.eventsRequests"), Is.EqualTo(2));

        time.AdvanceTo(103);
        await page.WaitForLastEventIdAsync(6);
        Assert.That((await page.FramesAsync()).Last(), Is.EqualTo(new SeenFrame(6, "flightStateUpdate", "{\"flight\":\"B2\",\"state\":\"landed\"}", false)));
        Assert.That(await page.StatusHistoryAsync(), Is.EqualTo(new[] { "connecting", "live", "stopped", "connecting", "live" }));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task ClosedConnection_ShowsClosed_DisablesTheButtons_AndNeverReconnects()
    {
        var time = new FakeTimeProvider();
        var server = await StartServerAsync(ConnectionTests.Closing, time, o => o with { RetryMilliseconds = 200 });
        var page = await OpenPageAsync(server);
        await page.WaitForStatusAsync("live");

        time.AdvanceTo(2);
        await page.WaitForStatusAsync("closed");
        await page.WaitForLastEventIdAsync(2);
        await page.WaitForTextAsync("#status", "Closed by the server: the board has ended");
        Assert.That((await page.IsDisabledAsync("button#stop"), await page.IsDisabledAsync("button#resume")), Is.EqualTo((true, true)));
        Assert.That((await page.FramesAsync()).Last(), Is.EqualTo(new SeenFrame(2, "closedConnection", "", false)));
        Assert.That(await page.ModelBoardAsync(), Is.EqualTo(new[] { new BoardRow("A1", "London", "08:15", "landing") }));

        // Three retry intervals after the close by the page's own clock, then two round trips from
        // the page: a reconnect the browser had scheduled would have shown by then.
        await page.WaitForFunctionAsync("""
            () => {
              const closed = window.__statusHistory.find(h => h.state === 'closed');
              return closed !== undefined && performance.now() >= closed.at + 600;
            }
            """);
        for (int i = 0; i < 2; i++)
        {
            Assert.That(await page.EvaluateAsync<bool>("() => fetch('api/flights').then(r => r.json()).then(b => b.closed)"), Is.True);
        }

        Assert.That(page.EventsRequests(), Has.Count.EqualTo(1), "requests to /events");
        Assert.That(await page.EvaluateAsync<int>("() => window.sseflights.eventsRequests"), Is.EqualTo(1));
        Assert.That(await page.StatusHistoryAsync(), Is.EqualTo(new[] { "connecting", "live", "closed" }));
        Assert.That(await server.ClientsAsync(), Is.EqualTo(0));
    }
}
