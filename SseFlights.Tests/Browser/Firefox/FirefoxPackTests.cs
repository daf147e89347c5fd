using SseFlights.Scenario;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Browser.Firefox;

/// <summary>
/// Firefox's own EventSource (Debian's Firefox ESR, headless, over WebDriver BiDi through
/// firefox-driver.mjs) plays every case of the client pack and must observe exactly its expect block
/// or its recorded deviation: the events it dispatches, the <c>GET /events</c> it makes (counted by
/// the server) and, where the case is about retry, the reconnection time it waited
/// (<see cref="EventSourcePackScript"/>, the same page script as Chromium's).
/// </summary>
public class FirefoxPackTests : ClientPackFixture
{
    private Firefox? _firefox;
    private TestServer? _warm;

    private protected override string Client => "firefox";

    private protected override bool IsEventSource => true;

    private protected override async Task LaunchAsync()
    {
        _warm = await TestServer.StartAsync(Scenarios.Tutorial);
        _firefox = await Firefox.LaunchAsync();
        TestContext.Out.WriteLine("Firefox: " + _firefox.Version);
        // A first page and evaluation are slow on a cold browser: made here, so the first cases ask on time.
        await using var page = (Page)await LoadClientAsync(ClientPack.Load(ClientPack.Cases().First()), CancellationToken.None);
        await page.DryRunAsync(new Uri(EventSourcePackScript.WarmPage(_warm), "/events"));
    }

    private protected override async ValueTask CloseAsync()
    {
        if (_firefox is not null)
        {
            await _firefox.DisposeAsync();
        }

        if (_warm is not null)
        {
            await _warm.DisposeAsync();
        }
    }

    private protected override async Task<IPackClient> LoadClientAsync(ScenarioDefinition scenario, CancellationToken cancellationToken)
    {
        var handle = (await _firefox!.SendAsync("newPage", new { width = 800, height = 600 }).WaitAsync(cancellationToken)).GetInt32();
        var page = new Page(_firefox, handle, scenario);
        try
        {
            await _firefox.SendAsync("goto", new { page = handle, url = EventSourcePackScript.WarmPage(_warm!).AbsoluteUri }).WaitAsync(cancellationToken);
        }
        catch
        {
            await page.DisposeAsync();
            throw;
        }

        return page;
    }

    /// <summary>A tab in a browser context of its own (the driver's, for a page made without one), which closes with it.</summary>
    private sealed class Page(Firefox firefox, int handle, ScenarioDefinition scenario) : IPackClient
    {
        public async Task<ClientReport> PlayAsync(Uri stream, ClientRequest request, CancellationToken cancellationToken)
        {
            await firefox.SendAsync("goto", new { page = handle, url = EventSourcePackScript.StartPage(stream, request).AbsoluteUri }).WaitAsync(cancellationToken);
            var run = await firefox.SendAsync("evaluate", new { page = handle, fn = EventSourcePackScript.Play, args = new object[] { EventSourcePackScript.Arguments(stream, scenario) } })
                .WaitAsync(cancellationToken);
            return EventSourcePackScript.Report(run);
        }

        public async Task DryRunAsync(Uri stream) =>
            EventSourcePackScript.Report(await firefox.SendAsync("evaluate", new { page = handle, fn = EventSourcePackScript.DryRun, args = new object[] { EventSourcePackScript.Arguments(stream, scenario) } }));

        public async ValueTask DisposeAsync() => await firefox.SendAsync("closePage", new { page = handle });
    }
}
