using System.Text.Json;
using Microsoft.Playwright;
using SseFlights.Scenario;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Browser;

/// <summary>
/// Chromium's own EventSource (Debian's Chromium, headless, through Playwright) plays every case of
/// the client pack and must observe exactly its expect block or its recorded deviation: the events it
/// dispatches, the <c>GET /events</c> it makes (counted by the server) and, where the case is about
/// retry, the reconnection time it waited (<see cref="EventSourcePackScript"/>).
/// </summary>
public class ChromiumPackTests : ClientPackFixture
{
    private Chromium? _chromium;
    private TestServer? _warm;

    private protected override string Client => "chromium";

    private protected override bool IsEventSource => true;

    private protected override async Task LaunchAsync()
    {
        _warm = await TestServer.StartAsync(Scenarios.Tutorial);
        _chromium = await Chromium.LaunchAsync();
        // A first context, page and evaluation are slow on a cold browser: made here, so the first cases ask on time.
        await using var page = (Page)await LoadClientAsync(ClientPack.Load(ClientPack.Cases().First()), CancellationToken.None);
        await page.DryRunAsync(new Uri(EventSourcePackScript.WarmPage(_warm), "/events"));
    }

    private protected override async ValueTask CloseAsync()
    {
        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }

        if (_warm is not null)
        {
            await _warm.DisposeAsync();
        }
    }

    private protected override async Task<IPackClient> LoadClientAsync(ScenarioDefinition scenario, CancellationToken cancellationToken)
    {
        var context = await _chromium!.Browser.NewContextAsync();
        try
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(EventSourcePackScript.WarmPage(_warm!).AbsoluteUri).WaitAsync(cancellationToken);
            return new Page(context, page, scenario);
        }
        catch
        {
            await context.DisposeAsync();
            throw;
        }
    }

    /// <summary>A page in a context of its own, which closes with it.</summary>
    private sealed class Page(IBrowserContext context, IPage page, ScenarioDefinition scenario) : IPackClient
    {
        public async Task<ClientReport> PlayAsync(Uri stream, ClientRequest request, CancellationToken cancellationToken)
        {
            await page.GotoAsync(EventSourcePackScript.StartPage(stream, request).AbsoluteUri).WaitAsync(cancellationToken);
            var run = await page.EvaluateAsync<JsonElement>(EventSourcePackScript.Play, EventSourcePackScript.Arguments(stream, scenario)).WaitAsync(cancellationToken);
            return EventSourcePackScript.Report(run);
        }

        public async Task DryRunAsync(Uri stream) =>
            EventSourcePackScript.Report(await page.EvaluateAsync<JsonElement>(EventSourcePackScript.DryRun, EventSourcePackScript.Arguments(stream, scenario)));

        public ValueTask DisposeAsync() => context.DisposeAsync();
    }
}
