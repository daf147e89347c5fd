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
    private const string Quiet = """
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

    [GeneratedRegex(@"^Server full, retrying in [1-6] s$")]
    private static partial Regex ServerFullText();
}
