using NUnit.Framework.Interfaces;
using SseFlights.Cli;
using SseFlights.Scenario;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Browser.Firefox;

/// <summary>
/// Base of the page's tests in Firefox, as <see cref="BrowserTest"/> is in Chromium: one Firefox per
/// fixture and a fresh browser context per page. It owns the servers, proxies and pages a test
/// starts: after each test it checks the pages' consoles while the servers are still up (or keeps a
/// screenshot of each page when the test failed), then closes the pages, the proxies, the servers.
/// </summary>
public abstract class FirefoxTest
{
    private readonly List<FirefoxPage> _pages = [];
    private readonly List<TestServer> _servers = [];
    private readonly List<IAsyncDisposable> _proxies = [];
    private Firefox? _firefox;

    /// <summary>Whether this fixture's Firefox accepts certificates it cannot verify (for the test CA's); see <see cref="Firefox.LaunchAsync"/>.</summary>
    private protected virtual bool AcceptInsecureCerts => false;

    [OneTimeSetUp]
    public async Task LaunchFirefoxAsync()
    {
        _firefox = await Firefox.LaunchAsync(AcceptInsecureCerts);
        TestContext.Out.WriteLine("Firefox: " + _firefox.Version);
    }

    [OneTimeTearDown]
    public async Task CloseFirefoxAsync()
    {
        if (_firefox is not null)
        {
            await _firefox.DisposeAsync();
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

    /// <summary>Opens the board at http://localhost:PORT/ (plus <paramref name="path"/>) in a new context of the given size.</summary>
    internal Task<FirefoxPage> OpenPageAsync(TestServer server, int width = 1280, int height = 800, string path = "", bool fakeTimers = false) =>
        OpenPageAsync(server.BaseUrl + path, width, height, fakeTimers);

    internal async Task<FirefoxPage> OpenPageAsync(string url, int width = 1280, int height = 800, bool fakeTimers = false)
    {
        var page = await FirefoxPage.OpenAsync(_firefox!, url, width, height, fakeTimers: fakeTimers);
        _pages.Add(page);
        return page;
    }

    /// <summary>Closes a page before the test ends (a visitor leaving).</summary>
    internal async Task ClosePageAsync(FirefoxPage page)
    {
        _pages.Remove(page);
        await page.AssertNoConsoleProblemsAsync();
        await page.DisposeAsync();
    }

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

            foreach (var proxy in _proxies)
            {
                await proxy.DisposeAsync();
            }

            foreach (var server in _servers)
            {
                await server.DisposeAsync();
            }

            _pages.Clear();
            _proxies.Clear();
            _servers.Clear();
        }
    }

    /// <summary>On failure, what each page looked like and what its console said go with the test's results.</summary>
    private async Task AttachScreenshotsAsync()
    {
        for (int i = 0; i < _pages.Count; i++)
        {
            TestContext.Out.WriteLine($"page {i} console:\n{_pages[i].ProblemsText()}");
            string path = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"{TestContext.CurrentContext.Test.MethodName}-firefox-page{i}.png");
            try
            {
                await _pages[i].ScreenshotAsync(path);
                TestContext.AddTestAttachment(path, "the page in Firefox when the test failed");
            }
            catch (FirefoxException ex)
            {
                TestContext.Out.WriteLine($"No screenshot of page {i}: {ex.Message}");
            }
        }
    }
}
