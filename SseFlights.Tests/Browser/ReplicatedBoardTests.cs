using Microsoft.Playwright;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Browser;

/// <summary>The board in Chromium through nginx with the shipped replicas.conf over three replicas, one of which dies under it.</summary>
public class ReplicatedBoardTests : BrowserTest
{
    private const int Events = 150;
    private const long CloseId = Events + 1;

    [Test]
    [CancelAfter(90_000)]
    public async Task Board_ThroughNginxOverThreeReplicas_ItsReplicaIsKilled_ItReconnectsKeepsUpdatingAndEndsOnTheScenarioBoard(CancellationToken cancellationToken)
    {
        // 150 events 60 ms apart from 0.5 s after the epoch, the close at 9.5 s (the page keeps its last
        // 200 frames, so all of them); retry: 250 so the browser's own reconnect comes quickly.
        string scenario = Scenarios.Busy(Events, 0.06, close: true, start: 0.5);
        var replicas = await StartProxyAsync(ReplicaSet.StartAsync(scenario, 3, TimeSpan.FromSeconds(3), "--retry", "250", "--log-level", "Warning"));
        var nginx = await replicas.StartNginxAsync();
        var page = await OpenPageAsync(nginx.BaseUrl);

        // The killed replica's stream ends in a network error, which Chromium logs itself.
        page.ExpectFailedRequests = true;
        await page.WaitForStatusAsync("live");
        await page.Page.WaitForFunctionAsync("() => window.sseflights.frames().length > 0");
        long joined = (await page.FramesAsync())[0].Id!.Value;
        await WaitForIdAsync(page, joined + 10);
        var streams = await replicas.StreamsAsync();
        Assert.That(streams.Order(), Is.EqualTo(new[] { 0, 0, 1 }), "the page's one stream, on one replica");
        int victim = Array.IndexOf(streams, 1);
        long before = await page.Page.EvaluateAsync<long>("() => window.sseflights.lastEventId");
        Assert.That(before, Is.LessThan(CloseId - 40), "the page must open well before the close, or the rest proves nothing");
        replicas.Kill(victim);
        cancellationToken.ThrowIfCancellationRequested();

        // It keeps updating: twenty ids later it is live again, on one of the other two.
        await WaitForIdAsync(page, before + 20);
        await page.WaitForStatusAsync("live");
        var survivors = replicas.Replicas.Where((_, i) => i != victim).ToList();
        int onSurvivors = (await Task.WhenAll(survivors.Select(r => r.ClientsAsync()))).Sum();
        await WaitForIdAsync(page, CloseId);
        await page.WaitForLastEventIdAsync(CloseId);
        await page.WaitForStatusAsync("closed");

        var requests = await page.EventsRequestsAsync();
        var frames = await page.FramesAsync();
        TestContext.Out.WriteLine($"joined at id {joined}, killed replica {victim} at id {before}; requests to /events [{string.Join(", ", requests.Select(r => r.LastEventId ?? "none"))}]; streams on the survivors {onSurvivors}; status {string.Join(" > ", await page.StatusHistoryAsync())}");
        Assert.That(onSurvivors, Is.EqualTo(1), "the page streams from a survivor");
        Assert.That(await page.StatusHistoryAsync(), Is.EqualTo(new[] { "connecting", "live", "reconnecting", "live", "closed" }), "one reconnect, no error state left behind");
        Assert.That(requests, Has.Count.EqualTo(2), "the first stream and the browser's one reconnect");
        Assert.That(long.Parse(requests[1].LastEventId!), Is.GreaterThanOrEqualTo(before), "the reconnect resumes from the last id the page had");
        Assert.That(frames.Select(f => f.Id), Is.EqualTo(Enumerable.Range((int)joined, (int)(CloseId - joined + 1)).Select(i => (long?)i)), "the snapshot, then every id once: no gap, no repeat");
        Assert.That(frames[0].Event, Is.EqualTo("snapshot"));
        Assert.That(frames[^1].Event, Is.EqualTo("closedConnection"));

        var expected = BoardRow.InBoardOrder(ScenarioBoard.At(scenario, CloseId).Select(r => new BoardRow(r["flight"], r["origin"], r["arrival"], r["state"])));
        Assert.That(await page.ModelBoardAsync(), Is.EqualTo(expected));
        Assert.That(await page.DomBoardAsync(), Is.EqualTo(expected));
    }

    /// <summary>Until the page has had id <paramref name="id"/>: as long as the timeline takes to get there, not the page's default 10 s.</summary>
    private static Task WaitForIdAsync(BoardPage page, long id) =>
        page.Page.WaitForFunctionAsync("id => window.sseflights.lastEventId >= id", id, new PageWaitForFunctionOptions { Timeout = 40_000 });
}
