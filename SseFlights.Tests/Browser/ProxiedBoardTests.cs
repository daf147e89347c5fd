using Microsoft.Extensions.Time.Testing;
using SseFlights.Tests.Proxy;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Browser;

/// <summary>The board in Chromium through a real nginx: at its root, under the shipped /board/ sub-path, and behind a bare proxy_pass.</summary>
public class ProxiedBoardTests : BrowserTest
{
    private const string Story = """
        {
          "name": "Through nginx",
          "flights": [
            { "flight": "A1", "origin": "London", "arrival": "08:15", "state": "" },
            { "flight": "B2", "origin": "Berlin", "arrival": "08:45", "state": "" }
          ],
          "timeline": [
            { "at": 1, "event": "flightStateUpdate", "data": { "flight": "A1", "state": "landed" } },
            { "at": 2, "action": "drop" },
            { "at": 3, "event": "flightAddition", "data": { "flight": "C3", "origin": "Rome", "arrival": "08:30", "state": "scheduled" } },
            { "at": 4, "event": "flightRemoval", "data": { "flight": "B2" } }
          ]
        }
        """;

    [TestCase(NginxConfig.Shipped, "")]
    [TestCase(NginxConfig.Shipped, "board/")]
    [TestCase(NginxConfig.Bare, "")]
    [CancelAfter(60_000)]
    public async Task Board_ThroughNginx_GoesLiveFollowsEventsAndReconnectsAfterADrop(NginxConfig config, string subPath)
    {
        var time = new FakeTimeProvider();
        var server = await StartServerAsync(Story, time, o => o with { RetryMilliseconds = 200 });
        var nginx = await StartProxyAsync(NginxConfigs.StartAsync(config, server.Port));
        var page = await OpenPageAsync(nginx.BaseUrl + subPath);
        await page.WaitForStatusAsync("live");
        await page.WaitForLastEventIdAsync(0);
        Assert.That(await page.DomBoardAsync(), Is.EqualTo(await ServerBoardAsync(server)));

        time.AdvanceTo(1);
        await page.WaitForLastEventIdAsync(1);

        // The drop ends the stream through the proxy; the page reconnects with Last-Event-ID and loses nothing.
        time.AdvanceTo(2);
        await Eventually.ValueAsync(() => page.StatusHistoryAsync(), h => h.Contains("reconnecting"), TimeSpan.FromSeconds(10), "the page to see the drop");
        await page.WaitForStatusAsync("live");
        await Eventually.ValueAsync(() => server.ClientsAsync(), n => n == 1, TimeSpan.FromSeconds(10), "the page's new stream");
        time.AdvanceTo(4);
        await page.WaitForLastEventIdAsync(3);
        await page.WaitForStatusAsync("live");
        Assert.That(await page.ModelBoardAsync(), Is.EqualTo(await ServerBoardAsync(server)));

        // Every request the page made stayed under the path it was opened at (its URLs are relative).
        await Eventually.TrueAsync(() => nginx.RequestTargets().Count(t => t.Contains("events", StringComparison.Ordinal)) >= 1, TimeSpan.FromSeconds(5), "nginx to log the stream");
        Assert.That(nginx.RequestTargets(), Has.All.StartsWith("/" + subPath));
        Assert.That(nginx.RequestTargets(), Has.Some.StartsWith($"/{subPath}events").And.Some.StartsWith($"/{subPath}app.js"));
        var frames = await page.FramesAsync();
        Assert.That(frames.Where(f => f.Id is not null).Select(f => (f.Id, f.Event)), Is.EqualTo(new (long?, string)[]
        {
            (0, "snapshot"), (1, "flightStateUpdate"), (2, "flightAddition"), (3, "flightRemoval"),
        }));
    }
}
