using Microsoft.Extensions.Time.Testing;
using SseFlights.Scenario;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Browser.Firefox;

/// <summary>
/// The board in Firefox through the shipped sseflights-tls.conf, over HTTP/2: live, reconnecting
/// after a drop, closed, with the page and every stream on h2. Also the README's picture of the
/// board in Firefox (docs/board-firefox.png, rewritten only with SSEFLIGHTS_UPDATE_DOCS=1).
/// This fixture's Firefox accepts the test CA's certificate without verifying it (see
/// <see cref="Firefox.LaunchAsync"/>); curl verifies it in TlsConfigTests.
/// </summary>
public class FirefoxHttp2Tests : FirefoxTest
{
    private const string Dropping = """
        {
          "name": "Over HTTP/2",
          "flights": [
            { "flight": "A1", "origin": "London", "arrival": "08:15", "state": "" },
            { "flight": "B2", "origin": "Berlin", "arrival": "08:45", "state": "" }
          ],
          "timeline": [
            { "at": 1, "event": "flightStateUpdate", "data": { "flight": "A1", "state": "landed" } },
            { "at": 2, "action": "drop" },
            { "at": 3, "event": "flightAddition", "data": { "flight": "C3", "origin": "Rome", "arrival": "08:30", "state": "scheduled" } },
            { "at": 4, "event": "flightRemoval", "data": { "flight": "B2" } },
            { "at": 5, "event": "closedConnection" }
          ]
        }
        """;

    private const string NavigationProtocol = "() => performance.getEntriesByType('navigation')[0].nextHopProtocol";

    // A stream's resource timing entry is written when the stream ends.
    private const string EventsProtocols = "() => performance.getEntriesByType('resource').filter(e => new URL(e.name).pathname === '/events').map(e => e.nextHopProtocol)";

    private protected override bool AcceptInsecureCerts => true;

    [Test]
    [CancelAfter(60_000)]
    public async Task Board_OverHttp2ThroughTheTlsConfig_GoesLive_ReconnectsAfterADrop_AndCloses()
    {
        var time = new FakeTimeProvider();
        var server = await StartServerAsync(Dropping, time, o => o with { RetryMilliseconds = 200 });
        var nginx = await StartProxyAsync(TlsNginx.StartAsync(TlsNginx.SingleNodeConfigPath, [server.Port]));
        var page = await OpenPageAsync(nginx.HttpsUrl);
        await page.WaitForStatusAsync("live");
        await page.WaitForLastEventIdAsync(0);
        Assert.That(await page.EvaluateAsync<string>(NavigationProtocol), Is.EqualTo("h2"));
        time.AdvanceTo(1);
        await page.WaitForLastEventIdAsync(1);

        // The drop ends the stream; the page reconnects with Last-Event-ID over the same HTTP/2 connection.
        time.AdvanceTo(2);
        await page.WaitForFunctionAsync("() => window.__statusHistory.some(h => h.state === 'reconnecting') && window.sseflights.status === 'live'");
        await Eventually.ValueAsync(server.ClientsAsync, n => n == 1, TimeSpan.FromSeconds(10), "the page's new stream");
        time.AdvanceTo(5);
        await page.WaitForStatusAsync("closed");
        await page.WaitForLastEventIdAsync(4);

        Assert.That((await page.FramesAsync()).Select(f => (f.Id, f.Event)), Is.EqualTo(new (long?, string)[]
        {
            (0, "snapshot"), (1, "flightStateUpdate"), (2, "flightAddition"), (3, "flightRemoval"), (4, "closedConnection"),
        }));
        Assert.That(await page.ModelBoardAsync(), Is.EqualTo(await BrowserTest.ServerBoardAsync(server)));
        Assert.That(page.EventsRequests(), Is.EqualTo(new (string, string?)[] { ("/events", null), ("/events", "1") }));
        Assert.That(await page.StatusHistoryAsync(), Is.EqualTo(new[] { "connecting", "live", "reconnecting", "live", "closed" }));
        await page.WaitForFunctionAsync($"() => ({EventsProtocols})().length === 2");
        Assert.That(await page.EvaluateAsync<string[]>(EventsProtocols), Is.EqualTo(new[] { "h2", "h2" }), "both streams over HTTP/2");
        Assert.That(nginx.Nginx.ErrorLog, Does.Not.Contain("[error]"));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Screenshot_BundledScenarioAt30SecondsOverHttp2_ShowsAPopulatedBoard()
    {
        var time = new FakeTimeProvider();
        var server = await StartServerAsync(ScenarioLoader.LoadBundled(), time);
        var nginx = await StartProxyAsync(TlsNginx.StartAsync(TlsNginx.SingleNodeConfigPath, [server.Port]));
        var page = await OpenPageAsync(nginx.HttpsUrl, 1280, 800);
        await page.WaitForStatusAsync("live");

        // Step through the timeline so the protocol log shows the frames as they came (as ScreenshotTests does).
        foreach (var (at, id) in new[] { (5.0, 5L), (11, 10), (18, 13), (23, 15), (30, 17) })
        {
            time.AdvanceTo(at);
            await page.WaitForLastEventIdAsync(id);
        }

        await page.ClickAsync("#protocol-log summary");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#board tbody tr.removing').length === 0");
        var expected = await BrowserTest.ServerBoardAsync(server);
        Assert.That(expected.Select(r => r.Flight), Is.EqualTo(new[] { "D654", "U213", "A987", "G119", "K321", "L442" }));
        Assert.That(await page.DomBoardAsync(), Is.EqualTo(expected));
        Assert.That(await page.EvaluateAsync<string>(NavigationProtocol), Is.EqualTo("h2"));

        string path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "board-firefox.png");
        await page.ScreenshotAsync(path);
        TestContext.AddTestAttachment(path, "the board in Firefox over HTTP/2, 30 s into the bundled scenario, 1280x800");
        byte[] png = await File.ReadAllBytesAsync(path);
        Assert.That(ScreenshotTests.PngSize(png), Is.EqualTo((1280, 800)));

        if (Environment.GetEnvironmentVariable("SSEFLIGHTS_UPDATE_DOCS") == "1")
        {
            await File.WriteAllBytesAsync(Path.Combine(Scenarios.RepoRoot, "docs", "board-firefox.png"), png);
        }
    }
}
