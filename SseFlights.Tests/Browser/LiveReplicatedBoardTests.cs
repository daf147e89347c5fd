using Microsoft.Playwright;
using SseFlights.Tests.Nats;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Browser;

/// <summary>The board in Chromium through nginx with the shipped replicas-live.conf over three live replicas on one NATS log, one of which dies under it.</summary>
public class LiveReplicatedBoardTests : BrowserTest
{
    private const int Messages = 150;

    [Test]
    [CancelAfter(120_000)]
    public async Task Board_ThroughNginxOverThreeLiveReplicas_ItsReplicaIsKilled_ItReconnectsOnceKeepsUpdatingAndEndsOnTheLogsBoard(CancellationToken cancellationToken)
    {
        // Stopped after the page closes, in the reverse order of their start: nginx and the replicas, the recorder, nats-server.
        var owned = await StartProxyAsync(Task.FromResult(new StoppedInReverse()));
        var nats = owned.Add(await NatsServer.StartAsync());
        var recorder = owned.Add(await LogRecorder.StartAsync(nats.Url, 100_000));
        var replicas = owned.Add(new LiveReplicaSet(LiveReplicaTests.Scenario, nats.Url, ["--retry", "250", "--log-level", "Warning"]));
        await replicas.StartAsync(3);
        var nginx = await replicas.StartNginxAsync();
        var page = await OpenPageAsync(nginx.BaseUrl);
        await using var outside = await ExternalPublisher.ConnectAsync(nats.Url);

        // The killed replica's stream ends in a network error, which Chromium logs itself.
        page.ExpectFailedRequests = true;
        await page.WaitForStatusAsync("live");
        await page.Page.WaitForFunctionAsync("() => window.sseflights.frames().length > 0");
        long joined = (await page.FramesAsync())[0].Id!.Value;

        // Messages 50 ms apart from outside: notes, board updates, and every tenth one the replicas refuse.
        using var stopPublishing = new ScopedCancellation(cancellationToken);
        var publishing = PublishAsync(outside, stopPublishing.Token);
        await WaitForIdAsync(page, 40);
        var streams = await Task.WhenAll(replicas.Replicas.Select(r => r.Http.GetStringAsync("healthz", cancellationToken)));
        int victim = Array.FindIndex(streams, h => h.Contains("\"clients\":1,", StringComparison.Ordinal));
        Assert.That(victim, Is.Not.EqualTo(-1), "the page's one stream is on one replica");
        long before = await page.Page.EvaluateAsync<long>("() => window.sseflights.lastEventId");
        replicas.Kill(victim);

        long close = await publishing;
        await WaitForIdAsync(page, close);
        await page.WaitForLastEventIdAsync(close);
        await page.WaitForStatusAsync("closed");
        await Eventually.TrueAsync(() => recorder.Last >= close, TimeSpan.FromSeconds(10), "the close recorded");
        var model = new LogModel(LiveReplicaTests.Scenario, recorder.Messages);

        var requests = await page.EventsRequestsAsync();
        var frames = await page.FramesAsync();
        TestContext.Out.WriteLine($"joined at id {joined}, killed replica {victim} at id {before}; requests to /events [{string.Join(", ", requests.Select(r => r.LastEventId ?? "none"))}]; {model.Events.Count} events, {model.Refused.Count} refused; status {string.Join(" > ", await page.StatusHistoryAsync())}");
        Assert.That(await page.StatusHistoryAsync(), Is.EqualTo(new[] { "connecting", "live", "reconnecting", "live", "closed" }), "one reconnect, no error state left behind");
        Assert.That(requests, Has.Count.EqualTo(2), "the first stream and the browser's one reconnect");
        Assert.That(long.Parse(requests[1].LastEventId!), Is.GreaterThanOrEqualTo(before), "the reconnect resumes from the last id the page had");
        Assert.That(frames.Select(f => f.Id), Is.EqualTo(model.Events.Where(e => e.Id > joined).Select(e => (long?)e.Id).Prepend(joined)), "the snapshot, then every event of the log once: no gap, no repeat");
        Assert.That(frames.Skip(1).Select(f => (f.Event, f.Data)), Is.EqualTo(model.Events.Where(e => e.Id > joined).Select(e => (e.Type, e.Data))));
        Assert.That(model.Refused, Has.Count.EqualTo(Messages / 10));

        var expected = BoardRow.InBoardOrder(model.FinalBoard.Select(r => new BoardRow(r["flight"], r["origin"], r["arrival"], r["state"])));
        Assert.That(await page.ModelBoardAsync(), Is.EqualTo(expected));
        Assert.That(await page.DomBoardAsync(), Is.EqualTo(expected));
    }

    /// <summary>Publishes the messages, then the close; returns the close's sequence.</summary>
    private static async Task<long> PublishAsync(ExternalPublisher outside, CancellationToken cancellationToken)
    {
        string[] states = ["boarding", "delayed", "landing", "landed"];
        for (int n = 1; n <= Messages; n++)
        {
            await outside.PublishAsync(
                n % 10 == 0 ? """{"event":"flightRemoval","data":{"flight":"Q1"}}"""
                : n % 3 == 0 ? $$$"""{"event":"flightStateUpdate","data":{"flight":"F{{{n / 3 % 3}}}","state":"{{{states[n % 4]}}} {{{n}}}"}}"""
                : $$"""{"event":"note","data":"note {{n}}"}""",
                cancellationToken);
            await Task.Delay(50, cancellationToken);
        }

        return await outside.PublishAsync("""{"event":"closedConnection"}""", cancellationToken);
    }

    /// <summary>What a test started, stopped in the reverse order.</summary>
    private sealed class StoppedInReverse : IAsyncDisposable
    {
        private readonly Stack<IAsyncDisposable> _started = new();

        public T Add<T>(T started)
            where T : IAsyncDisposable
        {
            _started.Push(started);
            return started;
        }

        public async ValueTask DisposeAsync()
        {
            while (_started.TryPop(out var started))
            {
                await started.DisposeAsync();
            }
        }
    }

    /// <summary>Until the page has had id <paramref name="id"/>: as long as publishing takes to get there, not the page's default 10 s.</summary>
    private static Task WaitForIdAsync(BoardPage page, long id) =>
        page.Page.WaitForFunctionAsync("id => window.sseflights.lastEventId >= id", id, new PageWaitForFunctionOptions { Timeout = 40_000 });
}
