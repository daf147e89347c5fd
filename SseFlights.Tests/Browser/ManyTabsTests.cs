using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using SseFlights.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace SseFlights.Tests.Browser;

/// <summary>
/// Ten tabs of the board in one Chromium profile, through the shipped sseflights-tls.conf. Over
/// HTTP/2 they share one connection and all are live at once. Over plain HTTP/1.1 (the same server
/// block without TLS, test-only) the browser opens at most six connections to one host and each
/// live board holds one: the seventh tab waits until another closes. README's "Many tabs: HTTP/2
/// and TLS" rests on both.
/// The browser ignores certificate errors in these contexts only (IgnoreHTTPSErrors): Debian has
/// no certutil to import the test CA into a profile. curl checks the certificate against the test
/// CA (TlsConfigTests), and here the page's certificate must be the one the test CA issued.
/// </summary>
public class ManyTabsTests : BrowserTest
{
    private const int Tabs = 10;

    private const string Story = """
        {
          "name": "Many tabs",
          "flights": [
            { "flight": "A1", "origin": "London", "arrival": "08:15", "state": "" },
            { "flight": "B2", "origin": "Berlin", "arrival": "08:45", "state": "" }
          ],
          "timeline": [
            { "at": 1, "event": "flightStateUpdate", "data": { "flight": "A1", "state": "landing" } },
            { "at": 2, "event": "flightAddition", "data": { "flight": "C3", "origin": "Rome", "arrival": "08:30", "state": "scheduled" } },
            { "at": 3, "event": "flightRemoval", "data": { "flight": "B2" } },
            { "at": 4, "event": "closedConnection" }
          ]
        }
        """;

    private const string EventsProtocols = """
        () => performance.getEntriesByType('resource').filter(e => new URL(e.name).pathname === '/events').map(e => e.nextHopProtocol)
        """;

    [Test]
    [CancelAfter(90_000)]
    public async Task TenTabs_OverHttp2ThroughTheTlsConfig_AreAllLiveAtOnce_AndEachReceivesEveryEvent()
    {
        var time = new FakeTimeProvider();
        var server = await StartServerAsync(Story, time, o => o with { RetryMilliseconds = 200 });
        var nginx = await StartProxyAsync(TlsNginx.StartAsync(TlsNginx.SingleNodeConfigPath, [server.Port]));
        var context = await NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true });

        var tabs = new List<BoardPage>();
        for (int i = 0; i < Tabs; i++)
        {
            var tab = await NewTabAsync(context);
            var response = await tab.Page.GotoAsync(nginx.HttpsUrl);
            Assert.That(response?.Status, Is.EqualTo(200));
            var tls = await response!.SecurityDetailsAsync();
            Assert.That((tls?.Issuer, tls?.SubjectName, tls?.Protocol), Is.EqualTo((TestCertificates.CaName, "localhost", "TLS 1.3")), "the page came through the shipped TLS config");
            await tab.WaitForStatusAsync("live");
            await tab.WaitForLastEventIdAsync(0);
            tabs.Add(tab);
        }

        Assert.That(await server.ClientsAsync(), Is.EqualTo(Tabs), "ten streams open at once");
        foreach (var tab in tabs)
        {
            Assert.That(await tab.Page.EvaluateAsync<string>("() => window.sseflights.status"), Is.EqualTo("live"));
            Assert.That(await tab.Page.EvaluateAsync<string>("() => performance.getEntriesByType('navigation')[0].nextHopProtocol"), Is.EqualTo("h2"));
        }

        for (int id = 1; id <= 3; id++)
        {
            time.AdvanceTo(id);
            foreach (var tab in tabs)
            {
                await tab.WaitForLastEventIdAsync(id);
            }
        }

        time.AdvanceTo(4);
        var expected = new (long?, string)[] { (0, "snapshot"), (1, "flightStateUpdate"), (2, "flightAddition"), (3, "flightRemoval"), (4, "closedConnection") };
        foreach (var tab in tabs)
        {
            await tab.WaitForStatusAsync("closed");
            Assert.That((await tab.FramesAsync()).Select(f => (f.Id, f.Event)), Is.EqualTo(expected));
            Assert.That(await tab.ModelBoardAsync(), Is.EqualTo(await ServerBoardAsync(server)));

            // A stream's timing entry is written when it ends: the close has ended it.
            await tab.Page.WaitForFunctionAsync($"() => ({EventsProtocols})().length === 1");
            Assert.That(await tab.Page.EvaluateAsync<string[]>(EventsProtocols), Is.EqualTo(new[] { "h2" }), "/events over HTTP/2");
        }

        Assert.That(nginx.Nginx.ErrorLog, Does.Not.Contain("[error]"));
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task TenTabs_OverPlainHttp11_OnlySixAreLive_AndAWaitingTabGoesLiveOnlyWhenAnotherCloses()
    {
        var time = new FakeTimeProvider();
        var server = await StartServerAsync(Story, time, o => o with { RetryMilliseconds = 200 });
        var nginx = await StartProxyAsync(TlsNginx.StartAsync(TlsNginx.SingleNodeConfigPath, [server.Port], withPlainBlock: true));
        var context = await NewContextAsync(new BrowserNewContextOptions());

        var tabs = new List<BoardPage>();
        for (int i = 0; i < 6; i++)
        {
            var tab = await NewTabAsync(context);
            Assert.That((await tab.Page.GotoAsync(nginx.PlainUrl))?.Status, Is.EqualTo(200));
            await tab.WaitForStatusAsync("live");
            tabs.Add(tab);
        }

        // Tabs 7 to 10 ask for the page: the browser issues each request, but has no connection left for it.
        for (int i = 6; i < Tabs; i++)
        {
            var tab = await NewTabAsync(context);
            var requested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            tab.Page.Request += (_, request) => { if (request.IsNavigationRequest) requested.TrySetResult(); };
            await tab.Page.EvaluateAsync("url => { location.href = url; }", nginx.PlainUrl);
            await requested.Task.WaitAsync(TimeSpan.FromSeconds(10));
            tabs.Add(tab);
        }

        // Meanwhile the same board under the other loopback name (another host, so other connections)
        // opens in the same profile and goes live, and the six get an event: time enough for the seventh.
        var other = await NewTabAsync(context);
        Assert.That((await other.Page.GotoAsync($"http://127.0.0.1:{nginx.PlainPort}/"))?.Status, Is.EqualTo(200));
        await other.WaitForStatusAsync("live");
        time.AdvanceTo(1);
        foreach (var tab in tabs.Take(6).Append(other))
        {
            await tab.WaitForLastEventIdAsync(1);
        }

        Assert.That(tabs.Skip(6).Select(t => t.Page.Url), Is.All.EqualTo("about:blank"), "tabs 7 to 10 have not even got the page");
        Assert.That(await server.ClientsAsync(), Is.EqualTo(7), "six localhost streams and the 127.0.0.1 one");

        // The first tab closes: its connection goes to one of the four waiting (whichever the browser
        // queued first by then), which loads and goes live; the other three go on waiting.
        await ClosePageAsync(tabs[0]);
        var waiting = tabs.Skip(6).ToList();
        var live = await Eventually.ValueAsync(() => LiveTabsAsync(waiting), l => l.Count == 1, TimeSpan.FromSeconds(30), "one waiting tab to go live");
        time.AdvanceTo(2);
        foreach (var tab in tabs.Skip(1).Take(5).Concat(live).Append(other))
        {
            await tab.WaitForLastEventIdAsync(2);
        }

        Assert.That((await live[0].FramesAsync()).Select(f => (f.Id, f.Event)), Is.EqualTo(new (long?, string)[] { (1, "snapshot"), (2, "flightAddition") }));
        Assert.That(await LiveTabsAsync(tabs.Skip(1)), Is.EqualTo(tabs.Skip(1).Take(5).Concat(live)), "six live: tabs 2 to 6 and the one that got the connection");
    }

    /// <summary>The tabs among <paramref name="tabs"/> whose board is live; a tab still loading (or committing its page just now) is not.</summary>
    private static async Task<List<BoardPage>> LiveTabsAsync(IEnumerable<BoardPage> tabs)
    {
        var live = new List<BoardPage>();
        foreach (var tab in tabs)
        {
            try
            {
                if (await tab.Page.EvaluateAsync<string?>("() => window.sseflights?.status ?? null") == "live")
                {
                    live.Add(tab);
                }
            }
            catch (PlaywrightException)
            {
                // The page navigated while we asked: it is loading, not live.
            }
        }

        return live;
    }
}
