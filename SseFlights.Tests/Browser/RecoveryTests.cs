using System.Text.RegularExpressions;
using SseFlights.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace SseFlights.Tests.Browser;

/// <summary>
/// The page never gives up while the server might come back: a full server is waited out (its
/// Retry-After), a vanished server is retried until it is back, and a restarted server with a new
/// run (ids start again) gives the new run's board.
/// </summary>
public partial class RecoveryTests : BrowserTest
{
    internal const string Quiet = """
        {
          "name": "Quiet",
          "flights": [
            { "flight": "A1", "origin": "London", "arrival": "08:15", "state": "" },
            { "flight": "B2", "origin": "Berlin", "arrival": "08:45", "state": "" }
          ],
          "timeline": [
            { "at": 0.1, "event": "flightStateUpdate", "data": { "flight": "A1", "state": "landed" } },
            { "at": 0.2, "event": "flightAddition", "data": { "flight": "C3", "origin": "Rome", "arrival": "08:30", "state": "scheduled" } },
            { "at": 0.3, "event": "flightStateUpdate", "data": { "flight": "B2", "state": "delayed" } },
            { "at": 3600, "event": "closedConnection" }
          ]
        }
        """;

    private const string NewRun = """
        {
          "name": "New run",
          "flights": [
            { "flight": "X9", "origin": "Lisbon", "arrival": "07:00", "state": "" },
            { "flight": "Y8", "origin": "Madrid", "arrival": "07:30", "state": "" }
          ],
          "timeline": [
            { "at": 2, "event": "flightStateUpdate", "data": { "flight": "Y8", "state": "landing" } },
            { "at": 3600, "event": "closedConnection" }
          ]
        }
        """;

    [Test]
    [CancelAfter(60_000)]
    public async Task ServerFull_SecondPageWaitsRetryAfter_AndGetsInAfterTheFirstLeaves()
    {
        var server = await StartServerAsync(Quiet, TimeProvider.System, o => o with { MaxClients = 1, HeartbeatSeconds = 0.2 });
        var first = await OpenPageAsync(server);
        await first.WaitForLastEventIdAsync(3);

        var second = await OpenPageAsync(server);
        second.ExpectFailedRequests = true;
        await second.WaitForStatusAsync("full");
        await Expect(second.Status).ToHaveTextAsync(ServerFullText());
        await Expect(second.StopButton).ToBeEnabledAsync();

        await ClosePageAsync(first);
        await Eventually.ValueAsync(server.ClientsAsync, n => n == 0, TimeSpan.FromSeconds(10), "the first page's slot to free up");

        // Retry-After is 5 s, plus up to 1 s of jitter: the second page gets in by itself.
        await Expect(second.Status).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 15_000 });
        await second.WaitForLastEventIdAsync(3);
        Assert.That(await second.DomBoardAsync(), Is.EqualTo(await ServerBoardAsync(server)));
        Assert.That(await second.StatusHistoryAsync(), Is.EqualTo(new[] { "connecting", "full", "connecting", "live" }));
        Assert.That((await second.EventsRequestsAsync()).Select(r => r.PathAndQuery), Is.EqualTo(new[] { "/events", "/events" }));
        Assert.That(await server.ClientsAsync(), Is.EqualTo(1));
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task ServerKilledAndRestartedOnTheSamePort_PageComesBack_WithTheNewRunsBoard()
    {
        var before = await ServerProcess.StartAsync(Quiet, "--retry", "300", "--heartbeat", "1");
        int port = before.Port;
        var page = await OpenPageAsync($"http://localhost:{port}/");
        page.ExpectFailedRequests = true;
        await page.WaitForLastEventIdAsync(3);

        await before.DisposeAsync();
        await page.Page.WaitForFunctionAsync("() => ['reconnecting', 'retrying'].includes(window.sseflights.status)");

        // Let it fail for a while: the page must still be trying, never stopped.
        await page.Page.WaitForFunctionAsync("() => window.sseflights.eventsRequests >= 3", null, new() { Timeout = 20_000 });
        Assert.That(await page.Page.EvaluateAsync<string>("() => window.sseflights.status"), Is.AnyOf("reconnecting", "retrying"));

        await using var after = await ServerProcess.StartAsync(NewRun, port, "--retry", "300", "--heartbeat", "1");
        await Expect(page.Status).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 40_000 });
        await page.WaitForLastEventIdAsync(1);
        var expected = BoardRow.InBoardOrder(System.Text.Json.JsonDocument.Parse(await after.Http.GetStringAsync("api/flights")).RootElement.GetProperty("flights").EnumerateArray().Select(BoardRow.FromJson));
        Assert.That(expected.Select(r => (r.Flight, r.State)), Is.EqualTo(new[] { ("X9", ""), ("Y8", "landing") }));
        Assert.That(await page.ModelBoardAsync(), Is.EqualTo(expected));
        Assert.That(await page.DomBoardAsync(), Is.EqualTo(expected));
        var frames = await page.FramesAsync();
        Assert.That(frames.Select(f => (f.Id, f.Event, f.Resent)).TakeLast(2), Is.EqualTo(new (long?, string, bool)[] { (0, "snapshot", false), (1, "flightStateUpdate", false) }));
        await page.AssertNoConsoleProblemsAsync();
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task StreamOfTheWrongType_PageBacksOff1Then2Then4Seconds_ShowingTheAttempt_ThenGetsIn()
    {
        var server = await StartServerAsync(Quiet, TimeProvider.System);
        var page = await OpenPageAsync(server);
        page.ExpectFailedRequests = true;
        await page.WaitForLastEventIdAsync(3);
        await page.StopButton.ClickAsync();
        await page.WaitForStatusAsync("stopped");

        // A proxy in the way answers the next three stream requests with an error page; HEAD still
        // reaches the server, which would serve the stream (200), so the page backs off and retries.
        int refused = 0;
        await page.Page.RouteAsync("**/events*", async route =>
        {
            if (route.Request.Method == "GET" && Interlocked.Increment(ref refused) <= 3)
            {
                await route.FulfillAsync(new() { Status = 200, ContentType = "text/html", Body = "<p>Bad gateway</p>" });
            }
            else
            {
                await route.ContinueAsync();
            }
        });
        await page.ResumeButton.ClickAsync();
        await Expect(page.Status).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 20_000 });
        await page.WaitForLastEventIdAsync(3);

        var history = await page.Page.EvaluateAsync<System.Text.Json.JsonElement>("() => window.__statusHistory");
        var entries = history.EnumerateArray().Select(h => (State: h.GetProperty("state").GetString(), Text: h.GetProperty("text").GetString(), At: h.GetProperty("at").GetDouble())).ToList();
        int resumed = entries.FindLastIndex(e => e.State == "stopped");
        // The first entry of each wait (the countdown then changes the text in place).
        var retrying = entries.Skip(resumed).Where((e, i) => e.State == "retrying" && entries[resumed + i - 1].State != "retrying").ToList();
        Assert.That(retrying.Select(e => e.Text), Is.EqualTo(new[]
        {
            "Connection failed, retrying in 1 s (attempt 1)",
            "Connection failed, retrying in 2 s (attempt 2)",
            "Connection failed, retrying in 4 s (attempt 3)",
        }));
        var reconnects = entries.Skip(resumed).Where(e => e.State == "connecting").Skip(1).ToList();
        Assert.That(reconnects, Has.Count.EqualTo(3));
        for (int i = 0; i < 3; i++)
        {
            double waited = reconnects[i].At - retrying[i].At;
            Assert.That(waited, Is.InRange(1000 * Math.Pow(2, i) - 50, 1000 * Math.Pow(2, i) + 1000), $"wait before retry {i + 1}");
        }

        Assert.That(refused, Is.EqualTo(4), "three refused stream requests and the one that got through");
        Assert.That(await page.DomBoardAsync(), Is.EqualTo(await ServerBoardAsync(server)));
    }

    [GeneratedRegex(@"^Server full, retrying in [1-6] s$")]
    private static partial Regex ServerFullText();
}
