using System.Text.Json;

namespace SseFlights.Tests.Browser.Firefox;

/// <summary>
/// The arrivals page in a Firefox tab of its own browser context: <see cref="BoardPage"/>'s
/// counterpart, reading the page through the same window.sseflights hooks and the same status
/// recorder. Records console errors and warnings, page errors, and each GET /events with its
/// Last-Event-ID header, as the driver reports them.
/// </summary>
internal sealed class FirefoxPage : IAsyncDisposable
{
    private readonly Firefox _firefox;
    private readonly List<string> _problems = [];
    private readonly List<(string PathAndQuery, string? LastEventId)> _eventsRequests = [];

    private FirefoxPage(Firefox firefox, int handle)
    {
        _firefox = firefox;
        Handle = handle;
        firefox.OnPageEvent(handle, Record);
    }

    public int Handle { get; }

    /// <summary>For tests that make the server refuse on purpose: Firefox's own console lines for a failed stream request are expected then.</summary>
    public bool ExpectFailedRequests { get; set; }

    /// <summary>
    /// Opens <paramref name="url"/> in a new context of the given size; <paramref name="initScript"/>
    /// runs before the page's own scripts, and with <paramref name="fakeTimers"/> the page's
    /// setTimeout and setInterval run only on <see cref="RunClockAsync"/>.
    /// </summary>
    public static async Task<FirefoxPage> OpenAsync(Firefox firefox, string url, int width, int height, string? initScript = null, bool fakeTimers = false)
    {
        string[] scripts = initScript is null ? [BoardPage.StatusRecorder] : [BoardPage.StatusRecorder, initScript];
        var handle = await firefox.SendAsync("newPage", new { width, height, fakeTimers, initScripts = scripts });
        var page = new FirefoxPage(firefox, handle.GetInt32());
        var status = await firefox.SendAsync("goto", new { page = page.Handle, url });
        Assert.That(status.ValueKind == JsonValueKind.Number ? status.GetInt32() : 0, Is.EqualTo(200), "GET " + url);
        return page;
    }

    /// <summary>Calls the JavaScript function <paramref name="function"/> in the page with <paramref name="args"/>; its result comes back through JSON.</summary>
    public async Task<T> EvaluateAsync<T>(string function, params object?[] args) =>
        (await _firefox.SendAsync("evaluate", new { page = Handle, fn = function, args })).Deserialize<T>()!;

    /// <summary>Waits until <paramref name="function"/> returns something truthy in the page, or fails after 10 s (or <paramref name="timeoutMs"/>).</summary>
    public Task WaitForFunctionAsync(string function, object?[]? args = null, int timeoutMs = 10_000) =>
        _firefox.SendAsync("waitForFunction", new { page = Handle, fn = function, args = args ?? [], timeoutMs });

    public Task ClickAsync(string selector) => _firefox.SendAsync("click", new { page = Handle, selector });

    public Task ScreenshotAsync(string path) => _firefox.SendAsync("screenshot", new { page = Handle, path });

    /// <summary>Runs the page's fake timers <paramref name="milliseconds"/> forward (the page was opened with fakeTimers).</summary>
    public Task RunClockAsync(int milliseconds) => _firefox.SendAsync("runClock", new { page = Handle, ms = milliseconds });

    public Task WaitForStatusAsync(string state, int timeoutMs = 10_000) =>
        WaitForAttributeAsync("#status", "data-state", state, timeoutMs);

    public Task WaitForAttributeAsync(string selector, string attribute, string value, int timeoutMs = 10_000) =>
        WaitForFunctionAsync("(s, a, v) => document.querySelector(s)?.getAttribute(a) === v", [selector, attribute, value], timeoutMs);

    /// <summary>Waits until the element's text, with white space collapsed as Playwright's ToHaveText does, is <paramref name="text"/>.</summary>
    public Task WaitForTextAsync(string selector, string text) =>
        WaitForFunctionAsync("(s, t) => document.querySelector(s)?.textContent.replace(/\\s+/g, ' ').trim() === t", [selector, text]);

    public Task<bool> IsVisibleAsync(string selector) => EvaluateAsync<bool>("s => document.querySelector(s)?.checkVisibility() ?? false", selector);

    public Task<bool> IsDisabledAsync(string selector) => EvaluateAsync<bool>("s => document.querySelector(s).disabled", selector);

    /// <summary>Waits until the page has applied event <paramref name="id"/> and shows it as the last event id.</summary>
    public Task WaitForLastEventIdAsync(long id) =>
        WaitForFunctionAsync(
            "id => window.sseflights?.lastEventId === id && document.getElementById('last-event-id').textContent === String(id)",
            [id]);

    /// <summary>The rows in the table, top to bottom, leaving out rows that are fading after a removal.</summary>
    public async Task<List<BoardRow>> DomBoardAsync()
    {
        var rows = await EvaluateAsync<JsonElement>($"() => ({BoardPage.DomRows})([...document.querySelectorAll('#board tbody tr[data-flight]:not(.removing)')])");
        return [.. rows.EnumerateArray().Select(BoardRow.FromJson)];
    }

    /// <summary>window.sseflights.board(): the page's model in board order.</summary>
    public async Task<List<BoardRow>> ModelBoardAsync() =>
        [.. (await EvaluateAsync<JsonElement>("() => window.sseflights.board()")).EnumerateArray().Select(BoardRow.FromJson)];

    public async Task<List<SeenFrame>> FramesAsync() =>
        [.. (await EvaluateAsync<JsonElement>("() => window.sseflights.frames()")).EnumerateArray().Select(SeenFrame.FromJson)];

    /// <summary>Each state #status has shown, in order, with repeats of the same state folded.</summary>
    public async Task<List<string>> StatusHistoryAsync()
    {
        var states = await EvaluateAsync<string[]>("() => window.__statusHistory.map(h => h.state)");
        return [.. states.Where((state, i) => i == 0 || states[i - 1] != state)];
    }

    /// <summary>Each GET /events the browser sent, as the driver saw it: path and query, and the Last-Event-ID header if any.</summary>
    public List<(string PathAndQuery, string? LastEventId)> EventsRequests()
    {
        lock (_eventsRequests)
        {
            return [.. _eventsRequests];
        }
    }

    /// <summary>Asserts that no console error or warning and no page error was seen.</summary>
    public async Task AssertNoConsoleProblemsAsync()
    {
        // A round trip to the page first, so messages logged before now have reached us.
        await EvaluateAsync<int>("() => 0");
        List<string> problems;
        lock (_problems)
        {
            problems = [.. _problems.Where(p => !ExpectFailedRequests || !IsFailedRequest(p))];
        }

        Assert.That(problems, Is.Empty, "console errors, warnings or page errors");
    }

    public string ProblemsText()
    {
        lock (_problems)
        {
            return string.Join('\n', _problems);
        }
    }

    // Firefox's own line when an EventSource's request fails or is refused (a 503), which BiDi reports
    // as a script error although no script of the page threw.
    private static bool IsFailedRequest(string problem) =>
        problem.StartsWith("page error: Firefox can’t establish a connection to the server at ", StringComparison.Ordinal)
        || problem.StartsWith("console error: Firefox can’t establish a connection to the server at ", StringComparison.Ordinal);

    public async ValueTask DisposeAsync() => await _firefox.SendAsync("closePage", new { page = Handle });

    private void Record(JsonElement message)
    {
        string kind = message.GetProperty("event").GetString()!;
        if (kind == "console" && message.GetProperty("type").GetString() is "error" or "warn" or "warning")
        {
            Add(_problems, $"console {message.GetProperty("type").GetString()}: {message.GetProperty("text").GetString()} ({message.GetProperty("location").GetString()})");
        }
        else if (kind == "pageerror")
        {
            Add(_problems, "page error: " + message.GetProperty("text").GetString());
        }
        else if (kind == "request" && message.GetProperty("method").GetString() == "GET" && new Uri(message.GetProperty("url").GetString()!) is { AbsolutePath: "/events" } uri)
        {
            var headers = message.GetProperty("headers");
            string? lastEventId = headers.TryGetProperty("last-event-id", out var value) ? value.GetString() : null;
            Add(_eventsRequests, (uri.PathAndQuery, lastEventId));
        }
    }

    private static void Add<T>(List<T> list, T item)
    {
        lock (list)
        {
            list.Add(item);
        }
    }
}
