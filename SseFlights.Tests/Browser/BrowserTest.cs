using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using NUnit.Framework.Interfaces;
using SseFlights.Cli;
using SseFlights.Scenario;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Browser;

/// <summary>
/// Base of the page's tests: one Chromium per fixture and a fresh context per page. It owns the
/// servers and pages a test starts, so that after each test it can check the console while the
/// server is still up (a stopped server would make the browser log failed reconnects), then close
/// the pages, then stop the servers.
/// </summary>
public abstract class BrowserTest
{
    private readonly List<BoardPage> _pages = [];
    private readonly List<TestServer> _servers = [];
    private readonly List<IAsyncDisposable> _proxies = [];
    private readonly List<IBrowserContext> _contexts = [];
    private Chromium? _chromium;

    [OneTimeSetUp]
    public async Task LaunchBrowserAsync() => _chromium = await Chromium.LaunchAsync();

    [OneTimeTearDown]
    public async Task CloseBrowserAsync()
    {
        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }
    }

    internal async Task<TestServer> StartServerAsync(string scenarioJson, TimeProvider time, Func<ServerOptions, ServerOptions>? configure = null)
    {
        var server = await TestServer.StartAsync(scenarioJson, time, configure);
        _servers.Add(server);
        return server;
    }

    internal async Task<TestServer> StartServerAsync(ScenarioDefinition scenario, TimeProvider time, Func<ServerOptions, ServerOptions>? configure = null)
    {
        var server = await TestServer.StartAsync(scenario, time, configure);
        _servers.Add(server);
        return server;
    }

    /// <summary>A proxy in front of a server: stopped after the pages close and before the servers stop.</summary>
    internal async Task<T> StartProxyAsync<T>(Task<T> starting)
        where T : IAsyncDisposable
    {
        var proxy = await starting;
        _proxies.Add(proxy);
        return proxy;
    }

    /// <summary>Opens the board at http://localhost:PORT/ in a new context of the given size.</summary>
    internal Task<BoardPage> OpenPageAsync(TestServer server, int width = 1280, int height = 800, string? initScript = null, string path = "", bool fakeTimers = false) =>
        OpenPageAsync(server.BaseUrl + path, width, height, initScript, fakeTimers);

    /// <summary>Opens the board at <paramref name="url"/>, for a server this fixture does not own.</summary>
    internal async Task<BoardPage> OpenPageAsync(string url, int width = 1280, int height = 800, string? initScript = null, bool fakeTimers = false)
    {
        var page = await BoardPage.OpenAsync(_chromium!.Browser, url, new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
        }, initScript, fakeTimers);
        _pages.Add(page);
        return page;
    }

    /// <summary>A context for several tabs (<see cref="NewTabAsync"/>), which share its connections as one profile's tabs do; closed after its tabs.</summary>
    internal async Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions options)
    {
        var context = await _chromium!.Browser.NewContextAsync(options);
        context.SetDefaultTimeout(10_000);
        _contexts.Add(context);
        return context;
    }

    /// <summary>A new tab in <paramref name="context"/>, not yet navigated; checked and closed after the test like any page.</summary>
    internal async Task<BoardPage> NewTabAsync(IBrowserContext context)
    {
        var page = await BoardPage.NewTabAsync(context);
        _pages.Add(page);
        return page;
    }

    /// <summary>Closes a page before the test ends (a visitor leaving).</summary>
    internal async Task ClosePageAsync(BoardPage page)
    {
        _pages.Remove(page);
        await page.AssertNoConsoleProblemsAsync();
        await page.DisposeAsync();
    }

    /// <summary>/api/flights in the page's order, to compare with what the page shows.</summary>
    internal static async Task<List<BoardRow>> ServerBoardAsync(TestServer server) =>
        BoardRow.InBoardOrder((await server.GetJsonAsync("api/flights")).GetProperty("flights").EnumerateArray().Select(BoardRow.FromJson));

    [TearDown]
    public async Task CheckConsoleThenCloseAsync()
    {
        try
        {
            if (TestContext.CurrentContext.Result.Outcome.Status == TestStatus.Passed)
            {
                foreach (var page in _pages)
                {
                    await page.AssertNoConsoleProblemsAsync();
                }
            }
            else
            {
                await AttachScreenshotsAsync();
            }
        }
        finally
        {
            foreach (var page in _pages)
            {
                await page.DisposeAsync();
            }

            foreach (var context in _contexts)
            {
                await context.CloseAsync();
            }

            foreach (var proxy in _proxies)
            {
                await proxy.DisposeAsync();
            }

            foreach (var server in _servers)
            {
                await server.DisposeAsync();
            }

            _proxies.Clear();
            _contexts.Clear();
            _pages.Clear();
            _servers.Clear();
        }
    }

    /// <summary>On failure, what each page looked like goes with the test's results.</summary>
    private async Task AttachScreenshotsAsync()
    {
        for (int i = 0; i < _pages.Count; i++)
        {
            string path = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"{TestContext.CurrentContext.Test.MethodName}-page{i}.png");
            try
            {
                await _pages[i].Page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
                TestContext.AddTestAttachment(path, "the page when the test failed");
            }
            catch (PlaywrightException ex)
            {
                TestContext.Out.WriteLine($"No screenshot of page {i}: {ex.Message}");
            }
        }
    }
}
