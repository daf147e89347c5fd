using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace SseFlights.Tests.Browser;

/// <summary>
/// The arrivals page in its own browser context. Records every console error or warning and page
/// error, every request the browser makes to /events, and each change of #status[data-state]
/// (with the page's own clock), so a test can assert what happened, not just where it ended.
/// </summary>
internal sealed class BoardPage : IAsyncDisposable
{
    /// <summary>Runs before app.js: a MutationObserver keeps the history of the status element's state.</summary>
    internal const string StatusRecorder = """
        window.__statusHistory = [];
        document.addEventListener('DOMContentLoaded', () => {
          const status = document.getElementById('status');
          const record = () => window.__statusHistory.push({ state: status.dataset.state, text: status.textContent, at: performance.now() });
          record();
          new MutationObserver(record).observe(status, { attributes: true, attributeFilter: ['data-state'] });
        });
        """;

    internal const string DomRows = """
        rows => rows.map(tr => ({
          flight: tr.querySelector('td.flight').textContent,
          origin: tr.querySelector('td.origin').textContent,
          arrival: tr.querySelector('td.arrival').textContent,
          state: tr.querySelector('td.state').textContent,
        }))
        """;

    private readonly IBrowserContext _context;

    // False for a tab in a context several tabs share (NewTabAsync): disposing closes only the tab.
    private readonly bool _ownsContext;
    private readonly List<string> _problems = [];
    private readonly List<IRequest> _eventsRequests = [];

    private BoardPage(IBrowserContext context, IPage page, bool ownsContext = true)
    {
        _context = context;
        _ownsContext = ownsContext;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                AddProblem($"console {message.Type}: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => AddProblem($"page error: {error}");
        page.Request += (_, request) =>
        {
            // HEAD /events is the page asking why a stream stopped, not a stream.
            if (new Uri(request.Url).AbsolutePath == "/events" && request.Method == "GET")
            {
                lock (_eventsRequests)
                {
                    _eventsRequests.Add(request);
                }
            }
        };
    }

    public IPage Page { get; }

    /// <summary>How many requests to /events the browser has made, as Playwright saw them.</summary>
    public int EventsRequestCount
    {
        get
        {
            lock (_eventsRequests)
            {
                return _eventsRequests.Count;
            }
        }
    }

    public IReadOnlyList<string> Problems
    {
        get
        {
            lock (_problems)
            {
                return [.. _problems];
            }
        }
    }

    /// <summary>Opens <paramref name="url"/>; <paramref name="initScript"/> (a polyfill, a fake clock) runs before the page's own scripts.</summary>
    public static async Task<BoardPage> OpenAsync(IBrowser browser, string url, BrowserNewContextOptions options, string? initScript = null, bool fakeTimers = false)
    {
        var context = await browser.NewContextAsync(options);
        context.SetDefaultTimeout(10_000);
        var board = new BoardPage(context, await context.NewPageAsync());
        if (fakeTimers)
        {
            // The page's timers then run when the test says (Page.Clock), while the network runs as ever.
            await board.Page.Clock.InstallAsync();
        }

        await board.Page.AddInitScriptAsync(StatusRecorder);
        if (initScript is not null)
        {
            await board.Page.AddInitScriptAsync(initScript);
        }

        var response = await board.Page.GotoAsync(url);
        Assert.That(response?.Status, Is.EqualTo(200), "GET " + url);
        return board;
    }

    /// <summary>
    /// A new tab in <paramref name="context"/>, which the caller owns and other tabs may share (one
    /// profile's tabs share its connections), with the recorders installed and nothing loaded yet:
    /// the test navigates it, and may start a navigation it does not wait for.
    /// </summary>
    public static async Task<BoardPage> NewTabAsync(IBrowserContext context)
    {
        var board = new BoardPage(context, await context.NewPageAsync(), ownsContext: false);
        await board.Page.AddInitScriptAsync(StatusRecorder);
        return board;
    }

    public ILocator Status => Page.Locator("#status");

    public ILocator StopButton => Page.Locator("button#stop");

    public ILocator ResumeButton => Page.Locator("button#resume");

    public ILocator CaughtUp => Page.Locator("#caught-up");

    public Task WaitForStatusAsync(string state) => Expect(Status).ToHaveAttributeAsync("data-state", state);

    /// <summary>Waits until the page has applied event <paramref name="id"/> and shows it as the last event id.</summary>
    public async Task WaitForLastEventIdAsync(long id)
    {
        await Page.WaitForFunctionAsync("id => window.sseflights.lastEventId === id", id);
        await Expect(Page.Locator("#last-event-id")).ToHaveTextAsync(id.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The rows in the table, top to bottom, leaving out rows that are fading after a removal.</summary>
    public async Task<List<BoardRow>> DomBoardAsync()
    {
        var rows = await Page.EvalOnSelectorAllAsync<JsonElement>("#board tbody tr[data-flight]:not(.removing)", DomRows);
        return [.. rows.EnumerateArray().Select(BoardRow.FromJson)];
    }

    /// <summary>window.sseflights.board(): the page's model in board order.</summary>
    public async Task<List<BoardRow>> ModelBoardAsync()
    {
        var rows = await Page.EvaluateAsync<JsonElement>("() => window.sseflights.board()");
        return [.. rows.EnumerateArray().Select(BoardRow.FromJson)];
    }

    public async Task<List<SeenFrame>> FramesAsync()
    {
        var frames = await Page.EvaluateAsync<JsonElement>("() => window.sseflights.frames()");
        return [.. frames.EnumerateArray().Select(SeenFrame.FromJson)];
    }

    /// <summary>How the browser made each request to /events: "eventsource" natively, "xhr" or "fetch" from a polyfill.</summary>
    public List<string> EventsResourceTypes()
    {
        lock (_eventsRequests)
        {
            return [.. _eventsRequests.Select(r => r.ResourceType)];
        }
    }

    /// <summary>Each request to /events so far: its path and query, and its Last-Event-ID header if it sent one.</summary>
    public async Task<List<(string PathAndQuery, string? LastEventId)>> EventsRequestsAsync()
    {
        IRequest[] requests;
        lock (_eventsRequests)
        {
            requests = [.. _eventsRequests];
        }

        var seen = new List<(string, string?)>();
        foreach (var request in requests)
        {
            // The browser adds Last-Event-ID below the page, so only the full header set has it.
            var headers = await request.AllHeadersAsync();
            seen.Add((new Uri(request.Url).PathAndQuery, headers.GetValueOrDefault("last-event-id")));
        }

        return seen;
    }

    /// <summary>window.sseflights.eventsRequests: EventSources the page created plus the reconnects it saw.</summary>
    public Task<int> PageEventsRequestsAsync() => Page.EvaluateAsync<int>("() => window.sseflights.eventsRequests");

    /// <summary>Each state #status has shown, in order, with repeats of the same state folded.</summary>
    public async Task<List<string>> StatusHistoryAsync()
    {
        var history = await Page.EvaluateAsync<JsonElement>("() => window.__statusHistory.map(h => h.state)");
        var states = new List<string>();
        foreach (string state in history.EnumerateArray().Select(s => s.GetString()!))
        {
            if (states.Count == 0 || states[^1] != state)
            {
                states.Add(state);
            }
        }

        return states;
    }

    /// <summary>
    /// For tests that make the server refuse or vanish on purpose: the browser's own console lines
    /// for a failed request (never the page's) are expected then, and not counted as problems.
    /// </summary>
    public bool ExpectFailedRequests { get; set; }

    /// <summary>Asserts that no console error or warning and no page error was seen.</summary>
    public async Task AssertNoConsoleProblemsAsync()
    {
        // A round trip to the page first, so messages logged before now have reached us.
        await Page.EvaluateAsync("() => 0");
        var problems = ExpectFailedRequests ? Problems.Where(p => !IsFailedRequest(p)) : Problems;
        Assert.That(problems, Is.Empty, "console errors, warnings or page errors");
    }

    private static bool IsFailedRequest(string problem) =>
        problem.StartsWith("console error: Failed to load resource", StringComparison.Ordinal)
        || (problem.StartsWith("console error: ", StringComparison.Ordinal) && problem.Contains("net::ERR_", StringComparison.Ordinal))
        || problem.StartsWith("console error: EventSource's response has", StringComparison.Ordinal);

    public async ValueTask DisposeAsync()
    {
        if (_ownsContext)
        {
            await _context.CloseAsync();
        }
        else
        {
            await Page.CloseAsync();
        }
    }

    private void AddProblem(string problem)
    {
        lock (_problems)
        {
            _problems.Add(problem);
        }
    }
}
