using Microsoft.Extensions.Time.Testing;
using SseFlights.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace SseFlights.Tests.Browser;

/// <summary>The page's connection: Stop and Resume with catch-up, reconnecting after a drop, and staying closed after the close.</summary>
public class ConnectionTests : BrowserTest
{
    internal const string StopAndResume = """
        {
          "name": "Stop and resume",
          "flights": [
            { "flight": "A1", "origin": "London", "arrival": "08:15", "state": "" },
            { "flight": "B2", "origin": "Berlin", "arrival": "08:45", "state": "" },
            { "flight": "C3", "origin": "Rome", "arrival": "09:05", "state": "" }
          ],
          "timeline": [
            { "at": 1, "event": "flightStateUpdate", "data": { "flight": "A1", "state": "landed" } },
            { "at": 2, "event": "flightStateUpdate", "data": { "flight": "B2", "state": "delayed", "arrival": "09:10" } },
            { "at": 100, "event": "flightStateUpdate", "data": { "flight": "C3", "state": "landing" } },
            { "at": 101, "event": "flightAddition", "data": { "flight": "E5", "origin": "Oslo", "arrival": "08:05", "state": "scheduled" } },
            { "at": 102, "event": "flightRemoval", "data": { "flight": "A1" } },
            { "at": 103, "event": "flightStateUpdate", "data": { "flight": "B2", "state": "landed" } }
          ]
        }
        """;

    private const string Dropping = """
        {
          "name": "Drop",
          "flights": [
            { "flight": "A1", "origin": "London", "arrival": "08:15", "state": "" },
            { "flight": "B2", "origin": "Berlin", "arrival": "08:45", "state": "" }
          ],
          "timeline": [
            { "at": 1, "event": "flightStateUpdate", "data": { "flight": "A1", "state": "landed" } },
            { "at": 2, "event": "flightAddition", "data": { "flight": "C3", "origin": "Rome", "arrival": "08:30", "state": "scheduled" } },
            { "at": 3, "action": "drop" },
            { "at": 4, "event": "flightStateUpdate", "data": { "flight": "B2", "state": "delayed" } },
            { "at": 5, "event": "flightRemoval", "data": { "flight": "A1" } }
          ]
        }
        """;

    internal const string Closing = """
        {
          "name": "Closing",
          "flights": [
            { "flight": "A1", "origin": "London", "arrival": "08:15", "state": "" }
          ],
          "timeline": [
            { "at": 1, "event": "flightStateUpdate", "data": { "flight": "A1", "state": "landing" } },
            { "at": 2, "event": "closedConnection" }
          ]
        }
        """;

    [Test]
    [CancelAfter(30_000)]
    public async Task StopThenResume_ServerLosesTheClient_AndResumeCatchesUpExactlyTheMissedEvents()
    {
        var time = new FakeTimeProvider();
        // The write-stall limit is the heartbeat, measured on the fake clock: every jump made while
        // the page is connected (0 -> 2 s, 102 -> 103 s) stays below it, so a write still in flight
        // while the clock jumps can never make a healthy stream look stuck.
        var server = await StartServerAsync(StopAndResume, time, o => o with { HeartbeatSeconds = 5 });
        var page = await OpenPageAsync(server);
        await page.WaitForStatusAsync("live");
        time.AdvanceTo(2);
        await page.WaitForLastEventIdAsync(2);
        Assert.That(await server.ClientsAsync(), Is.EqualTo(1));

        await page.StopButton.ClickAsync();
        await page.WaitForStatusAsync("stopped");
        await Expect(page.StopButton).ToBeDisabledAsync();
        await Expect(page.ResumeButton).ToBeEnabledAsync();

        // The server learns the socket is gone when a heartbeat fails to write: let heartbeats fall
        // due, a second of scenario time per probe, well before the events at 100 s.
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

        // Three events while stopped; the page must not see them yet.
        time.AdvanceTo(102);
        await Eventually.ValueAsync(() => server.GetJsonAsync("healthz"), h => h.GetProperty("lastEventId").GetInt64() == 5, TimeSpan.FromSeconds(10), "event 5");
        Assert.That((await page.FramesAsync()).Select(f => f.Id), Is.EqualTo(new long?[] { 0, 1, 2 }));
        Assert.That(await page.Page.EvaluateAsync<int>("() => window.sseflights.lastEventId"), Is.EqualTo(2));

        await page.ResumeButton.ClickAsync();
        await page.WaitForStatusAsync("live");
        await page.WaitForLastEventIdAsync(5);
        await Expect(page.CaughtUp).ToBeVisibleAsync();
        await Expect(page.CaughtUp).ToHaveAttributeAsync("data-count", "3");
        await Expect(page.CaughtUp).ToHaveTextAsync("Caught up on 3 events");

        var frames = await page.FramesAsync();
        Assert.That(frames.Select(f => (f.Id, f.Event, f.Resent)), Is.EqualTo(new (long?, string, bool)[]
        {
            (0, "snapshot", false), (1, "flightStateUpdate", false), (2, "flightStateUpdate", false),
            (3, "flightStateUpdate", true), (4, "flightAddition", true), (5, "flightRemoval", true),
        }));
        Assert.That(await page.ModelBoardAsync(), Is.EqualTo(await ServerBoardAsync(server)));
        Assert.That(await page.DomBoardAsync(), Is.EqualTo(await ServerBoardAsync(server)));
        Assert.That(await page.EventsRequestsAsync(), Is.EqualTo(new (string, string?)[] { ("/events", null), ("/events?lastEventId=2", null) }));
        Assert.That(await page.PageEventsRequestsAsync(), Is.EqualTo(2));
        Assert.That(await server.ClientsAsync(), Is.EqualTo(1));

        // A live event after the catch-up is not counted as caught up, nor marked resent.
        time.AdvanceTo(103);
        await page.WaitForLastEventIdAsync(6);
        Assert.That((await page.FramesAsync()).Last(), Is.EqualTo(new SeenFrame(6, "flightStateUpdate", "{\"flight\":\"B2\",\"state\":\"landed\"}", false)));
        await Expect(page.CaughtUp).ToHaveAttributeAsync("data-count", "3");
        Assert.That(await page.ModelBoardAsync(), Is.EqualTo(await ServerBoardAsync(server)));
        Assert.That(await page.StatusHistoryAsync(), Is.EqualTo(new[] { "connecting", "live", "stopped", "connecting", "live" }));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task ScenarioDrop_PageReconnectsByItself_WithLastEventId_AndMissesNothing()
    {
        var time = new FakeTimeProvider();
        var server = await StartServerAsync(Dropping, time, o => o with { RetryMilliseconds = 200 });
        var page = await OpenPageAsync(server);
        await page.WaitForStatusAsync("live");
        time.AdvanceTo(2);
        await page.WaitForLastEventIdAsync(2);

        time.AdvanceTo(3);
        await page.Page.WaitForFunctionAsync("""
            () => {
              const states = window.__statusHistory.map(h => h.state);
              const lost = states.indexOf('reconnecting');
              return lost >= 0 && states.indexOf('live', lost) > lost;
            }
            """);
        Assert.That(await page.StatusHistoryAsync(), Is.EqualTo(new[] { "connecting", "live", "reconnecting", "live" }));
        Assert.That(await page.PageEventsRequestsAsync(), Is.EqualTo(2));
        Assert.That(await page.EventsRequestsAsync(), Is.EqualTo(new (string, string?)[] { ("/events", null), ("/events", "2") }));
        await Eventually.ValueAsync(server.ClientsAsync, n => n == 1, TimeSpan.FromSeconds(10), "one stream after the reconnect");

        time.AdvanceTo(5);
        await page.WaitForLastEventIdAsync(4);
        Assert.That((await page.FramesAsync()).Select(f => f.Id), Is.EqualTo(new long?[] { 0, 1, 2, 3, 4 }));
        var expected = await ServerBoardAsync(server);
        Assert.That(expected.Select(r => r.Flight), Is.EqualTo(new[] { "C3", "B2" }));
        Assert.That(await page.ModelBoardAsync(), Is.EqualTo(expected));
        Assert.That(await page.DomBoardAsync(), Is.EqualTo(expected));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task ClosedConnection_ShowsClosed_DisablesTheButtons_AndNeverReconnects()
    {
        var time = new FakeTimeProvider();
        var server = await StartServerAsync(Closing, time, o => o with { RetryMilliseconds = 200 });
        var page = await OpenPageAsync(server);
        await page.WaitForStatusAsync("live");

        time.AdvanceTo(2);
        await page.WaitForStatusAsync("closed");
        await page.WaitForLastEventIdAsync(2);
        await Expect(page.Status).ToHaveTextAsync("Closed by the server: the board has ended");
        await Expect(page.StopButton).ToBeDisabledAsync();
        await Expect(page.ResumeButton).ToBeDisabledAsync();
        Assert.That((await page.FramesAsync()).Last(), Is.EqualTo(new SeenFrame(2, "closedConnection", "", false)));
        Assert.That(await page.ModelBoardAsync(), Is.EqualTo(new[] { new BoardRow("A1", "London", "08:15", "landing") }));
        Assert.That((await server.GetJsonAsync("healthz")).GetProperty("closed").GetBoolean(), Is.True);

        // Watch for three retry intervals after the close (by the page's own clock), then make two
        // more round trips from the page, so a reconnect the browser had scheduled would have shown.
        await page.Page.WaitForFunctionAsync("""
            () => {
              const closed = window.__statusHistory.find(h => h.state === 'closed');
              return closed !== undefined && performance.now() >= closed.at + 600;
            }
            """);
        for (int i = 0; i < 2; i++)
        {
            Assert.That(await page.Page.EvaluateAsync<bool>("() => fetch('api/flights').then(r => r.json()).then(b => b.closed)"), Is.True);
        }

        Assert.That(page.EventsRequestCount, Is.EqualTo(1), "requests to /events");
        Assert.That(await page.PageEventsRequestsAsync(), Is.EqualTo(1));
        Assert.That(await page.StatusHistoryAsync(), Is.EqualTo(new[] { "connecting", "live", "closed" }));
        Assert.That(await server.ClientsAsync(), Is.EqualTo(0));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task ClosedWhileStopped_ResumeCatchesUpToTheClose_AndShowsClosed()
    {
        var time = new FakeTimeProvider();
        var server = await StartServerAsync(Closing, time, o => o with { RetryMilliseconds = 200 });
        var page = await OpenPageAsync(server);
        await page.WaitForStatusAsync("live");
        await page.WaitForLastEventIdAsync(0);
        await page.StopButton.ClickAsync();
        await page.WaitForStatusAsync("stopped");

        time.AdvanceTo(2);
        await Eventually.ValueAsync(() => server.GetJsonAsync("healthz"), h => h.GetProperty("closed").GetBoolean(), TimeSpan.FromSeconds(10), "the board to close");
        await page.ResumeButton.ClickAsync();
        await page.WaitForStatusAsync("closed");
        await page.WaitForLastEventIdAsync(2);

        await Expect(page.CaughtUp).ToHaveAttributeAsync("data-count", "2");
        await Expect(page.StopButton).ToBeDisabledAsync();
        await Expect(page.ResumeButton).ToBeDisabledAsync();
        Assert.That((await page.FramesAsync()).Select(f => (f.Id, f.Event, f.Resent)), Is.EqualTo(new (long?, string, bool)[]
        {
            (0, "snapshot", false), (1, "flightStateUpdate", true), (2, "closedConnection", true),
        }));
        Assert.That(await page.DomBoardAsync(), Is.EqualTo(new[] { new BoardRow("A1", "London", "08:15", "landing") }));
        Assert.That(await page.EventsRequestsAsync(), Is.EqualTo(new (string, string?)[] { ("/events", null), ("/events?lastEventId=0", null) }));
        Assert.That(await page.StatusHistoryAsync(), Is.EqualTo(new[] { "connecting", "live", "stopped", "connecting", "live", "closed" }));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task PageOpenedAfterTheClose_Gets204_AndShowsClosedWithTheFinalBoard()
    {
        var time = new FakeTimeProvider();
        var server = await StartServerAsync(Closing, time, o => o with { RetryMilliseconds = 200 });
        time.AdvanceTo(2);
        await Eventually.ValueAsync(() => server.GetJsonAsync("healthz"), h => h.GetProperty("closed").GetBoolean(), TimeSpan.FromSeconds(10), "the board to close");

        var page = await OpenPageAsync(server);
        await page.WaitForStatusAsync("closed");
        await page.WaitForLastEventIdAsync(2);
        await Expect(page.StopButton).ToBeDisabledAsync();
        await Expect(page.ResumeButton).ToBeDisabledAsync();
        Assert.That(await page.ModelBoardAsync(), Is.EqualTo(new[] { new BoardRow("A1", "London", "08:15", "landing") }));
        Assert.That(await page.DomBoardAsync(), Is.EqualTo(new[] { new BoardRow("A1", "London", "08:15", "landing") }));
        Assert.That(await page.FramesAsync(), Is.Empty);
        Assert.That(page.EventsRequestCount, Is.EqualTo(1), "requests to /events");
    }
}
