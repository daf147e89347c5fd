using Microsoft.Extensions.Time.Testing;
using SseFlights.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace SseFlights.Tests.Browser;

/// <summary>
/// The page unchanged with the two polyfills the tutorial names, injected before the page's script as
/// window.EventSource: AmvTek's eventsource-polyfill (events without target, no static constants, no
/// url) and Yaffle's event-source-polyfill (a relative url). Each must fill the board, survive a
/// drop, catch up on Resume and stop after the close, with no page errors.
/// </summary>
public class PolyfillTests : BrowserTest
{
    private const string Story = """
        {
          "name": "Polyfilled",
          "flights": [
            { "flight": "A1", "origin": "London", "arrival": "08:15", "state": "" },
            { "flight": "B2", "origin": "Berlin", "arrival": "08:45", "state": "" }
          ],
          "timeline": [
            { "at": 1, "event": "flightStateUpdate", "data": { "flight": "A1", "state": "landed" } },
            { "at": 2, "event": "flightAddition", "data": { "flight": "C3", "origin": "Rome", "arrival": "08:30", "state": "scheduled" } },
            { "at": 3, "action": "drop" },
            { "at": 4, "event": "flightStateUpdate", "data": { "flight": "B2", "state": "delayed" } },
            { "at": 100, "event": "flightRemoval", "data": { "flight": "A1" } },
            { "at": 101, "event": "flightStateUpdate", "data": { "flight": "B2", "state": "landed", "arrival": "08:50" } },
            { "at": 200, "event": "closedConnection" }
          ]
        }
        """;

    /// <summary>The file each package ships for browsers, and how it becomes window.EventSource.</summary>
    private static async Task<string> PolyfillScriptAsync(string package) => package switch
    {
        // It installs itself only where there is no EventSource.
        "eventsource-polyfill" => "window.EventSource = undefined;\n" + await NpmPackages.ReadAsync("eventsource-polyfill/dist/eventsource.js")
            + "\nwindow.__polyfill = window.EventSource && window.EventSource.isPolyfill === 'XHR';",
        // It keeps a native EventSource that supports credentials, so it is installed by hand.
        "event-source-polyfill" => await NpmPackages.ReadAsync("event-source-polyfill/src/eventsource.js")
            + "\nwindow.EventSource = window.EventSourcePolyfill;\nwindow.__polyfill = typeof window.EventSourcePolyfill === 'function';",
        _ => throw new ArgumentOutOfRangeException(nameof(package)),
    };

    [TestCase("eventsource-polyfill")]
    [TestCase("event-source-polyfill")]
    [CancelAfter(60_000)]
    public async Task Polyfill_BoardFills_SurvivesADrop_CatchesUpOnResume_AndStopsAfterTheClose(string package)
    {
        var time = new FakeTimeProvider();
        var server = await StartServerAsync(Story, time, o => o with { RetryMilliseconds = 200 });
        var page = await OpenPageAsync(server, initScript: await PolyfillScriptAsync(package));
        Assert.That(await page.Page.EvaluateAsync<bool>("() => window.__polyfill === true"), Is.True, "the polyfill is window.EventSource");
        await page.WaitForStatusAsync("live");
        // The stream itself came through the polyfill's XHR or fetch, not the browser's EventSource.
        Assert.That(page.EventsResourceTypes(), Is.Not.Empty.And.All.AnyOf("xhr", "fetch"));
        await page.WaitForLastEventIdAsync(0);
        Assert.That(await page.DomBoardAsync(), Is.EqualTo(await ServerBoardAsync(server)));

        time.AdvanceTo(2);
        await page.WaitForLastEventIdAsync(2);

        // The drop: the polyfill reconnects by itself and resumes after event 2.
        time.AdvanceTo(3);
        await page.Page.WaitForFunctionAsync("() => window.__statusHistory.some(h => h.state === 'reconnecting')");
        await page.WaitForStatusAsync("live");
        await Eventually.ValueAsync(server.ClientsAsync, n => n >= 1, TimeSpan.FromSeconds(10), "the reconnected stream");
        time.AdvanceTo(4);
        await page.WaitForLastEventIdAsync(3);
        Assert.That((await page.FramesAsync()).Select(f => f.Id), Is.EqualTo(new long?[] { 0, 1, 2, 3 }));
        Assert.That(await page.DomBoardAsync(), Is.EqualTo(await ServerBoardAsync(server)));

        await page.StopButton.ClickAsync();
        await page.WaitForStatusAsync("stopped");
        time.AdvanceTo(101);
        await Eventually.ValueAsync(() => server.GetJsonAsync("healthz"), h => h.GetProperty("lastEventId").GetInt64() == 5, TimeSpan.FromSeconds(10), "event 5");
        await page.ResumeButton.ClickAsync();
        await page.WaitForLastEventIdAsync(5);
        await Expect(page.CaughtUp).ToHaveAttributeAsync("data-count", "2");
        Assert.That((await page.FramesAsync()).Select(f => (f.Id, f.Resent)).Skip(4), Is.EqualTo(new (long?, bool)[] { (4, true), (5, true) }));
        var expected = await ServerBoardAsync(server);
        Assert.That(expected.Select(r => r.Flight), Is.EqualTo(new[] { "C3", "B2" }));
        Assert.That(await page.ModelBoardAsync(), Is.EqualTo(expected));
        Assert.That(await page.DomBoardAsync(), Is.EqualTo(expected));

        time.AdvanceTo(200);
        await page.WaitForStatusAsync("closed");
        await page.WaitForLastEventIdAsync(6);
        int requests = page.EventsRequestCount;
        // Three of the polyfill's retry intervals by the page's clock, then a round trip.
        await page.Page.WaitForFunctionAsync("""
            () => {
              const closed = window.__statusHistory.find(h => h.state === 'closed');
              return closed !== undefined && performance.now() >= closed.at + 600;
            }
            """);
        Assert.That(await page.Page.EvaluateAsync<bool>("() => fetch('api/flights').then(r => r.json()).then(b => b.closed)"), Is.True);
        Assert.That(page.EventsRequestCount, Is.EqualTo(requests), "requests to /events after the close");
        Assert.That(await page.StatusHistoryAsync(), Is.EqualTo(new[] { "connecting", "live", "reconnecting", "live", "stopped", "connecting", "live", "closed" }));
        Assert.That(page.Problems, Is.Empty);
    }
}
