using System.Text;
using Microsoft.Extensions.Time.Testing;
using SseFlights.Delivery;
using SseFlights.Hub;
using System.Diagnostics.Metrics;
using SseFlights.Http;
using SseFlights.Metrics;

namespace SseFlights.Tests.Unit;

/// <summary>One stream's writer without sockets: a fake body and a fake clock.</summary>
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public class StreamDeliveryTests
{
    private static readonly byte[] Retry = "retry: 3000\n\n"u8.ToArray();
    private static readonly Frame Heartbeat = TestFrames.Comment(": heartbeat\n\n"u8.ToArray());

    private readonly FakeTimeProvider _time = new();
    private readonly FakeResponseBody _body = new();
    private readonly Meter _meter = new(ServerMetrics.MeterName);

    private static Frame Event(long id, bool ends = false) => TestFrames.Event(id, Encoding.UTF8.GetBytes($"event: e\ndata: {id}\nid: {id}\n\n"), ends);

    /// <summary>Offers <paramref name="frame"/> as the hub would, waking a waiting writer; false when the queue had no room.</summary>
    private static bool Took(StreamDelivery session, Frame frame)
    {
        var offered = session.Offer(frame);
        if (offered == Offered.Waiting)
        {
            session.WakeOnPool();
        }

        return offered != Offered.Full;
    }

    private StreamDelivery Session(int maxEvents = 8, long maxBytes = 1024) =>
        new(7, _body, new StreamLimits(maxEvents, maxBytes, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(15)), Heartbeat, _time, new ServerMetrics(_meter, _time), Serilog.Core.Logger.None);

    [Test]
    [CancelAfter(5_000)]
    public async Task RunAsync_OpensWithRetryAndTheOpeningFramesInOneWrite(CancellationToken cancellationToken)
    {
        var session = Session();
        var run = session.RunAsync(Retry, [Event(1), Event(2)]);
        await _body.WhenWritesStarted(1).WaitAsync(cancellationToken);

        session.Finish(StreamEndReason.Shutdown);
        await run.WaitAsync(cancellationToken);

        Assert.That(_body.Writes, Is.EqualTo(new[] { "retry: 3000\n\nevent: e\ndata: 1\nid: 1\n\nevent: e\ndata: 2\nid: 2\n\n" }));
        Assert.That((_body.Ended, _body.WasCut, session.EventsSent, session.EndReason), Is.EqualTo((true, false, 2L, StreamEndReason.Shutdown)));
    }

    [Test]
    [CancelAfter(5_000)]
    public async Task Offer_OneMebibyteFrame_GoesOutWholeInWritesBelowTheLargeObjectThreshold(CancellationToken cancellationToken)
    {
        var session = Session(maxBytes: 2 * 1024 * 1024);
        var run = session.RunAsync(Retry, []);
        await _body.WhenWritesStarted(1).WaitAsync(cancellationToken);
        string data = new('m', 1024 * 1024);
        var large = TestFrames.Event(9, Encoding.UTF8.GetBytes($"data: {data}\nid: 9\n\n"));

        Assert.That(Took(session, large), Is.True);
        Assert.That(Took(session, Event(10)), Is.True);
        int writes = 1 + (large.Bytes.Length + StreamBody.MaxBuffer - 1) / StreamBody.MaxBuffer + 1;
        await _body.WhenWritesStarted(writes).WaitAsync(cancellationToken);
        session.Finish(StreamEndReason.Shutdown);
        await run.WaitAsync(cancellationToken);

        Assert.That(string.Concat(_body.Writes.Skip(1).SkipLast(1)), Is.EqualTo(Encoding.UTF8.GetString(large.Bytes)), "the frame, whole and in order");
        Assert.That(_body.Writes[^1], Is.EqualTo("event: e\ndata: 10\nid: 10\n\n"), "the next frame after it, on its own");
        Assert.That((_body.Writes.Count, _body.LargestBuffer, session.EventsSent), Is.EqualTo((writes, StreamBody.MaxBuffer, 2L)));
    }

    [Test]
    [CancelAfter(5_000)]
    public async Task RunAsync_OpeningEndsWithTheClose_EndsCleanlyAfterIt(CancellationToken cancellationToken)
    {
        var session = Session();

        await session.RunAsync(Retry, [Event(4, ends: true)]).WaitAsync(cancellationToken);

        Assert.That((_body.Writes.Count, _body.Ended, session.EndReason), Is.EqualTo((1, true, StreamEndReason.Closed)));
    }

    [Test]
    [CancelAfter(5_000)]
    public async Task Offer_FramesQueuedDuringAWrite_GoOutTogetherInTheNextWrite(CancellationToken cancellationToken)
    {
        var session = Session();
        _body.Hold();
        var run = session.RunAsync(Retry, []);
        await _body.WhenWritesStarted(1).WaitAsync(cancellationToken);

        Assert.That(Took(session, Event(1)) && Took(session, Event(2)) && Took(session, Event(3)), Is.True);
        _body.Release();
        await _body.WhenWritesStarted(2).WaitAsync(cancellationToken);
        session.Finish(StreamEndReason.Shutdown);
        await run.WaitAsync(cancellationToken);

        Assert.That(_body.Writes, Is.EqualTo(new[] { "retry: 3000\n\n", "event: e\ndata: 1\nid: 1\n\nevent: e\ndata: 2\nid: 2\n\nevent: e\ndata: 3\nid: 3\n\n" }));
    }

    [Test]
    [CancelAfter(5_000)]
    public async Task Offer_CloseFrame_EndsTheStreamCleanlyAfterIt(CancellationToken cancellationToken)
    {
        var session = Session();
        var run = session.RunAsync(Retry, []);

        Took(session, Event(1, ends: true));
        await run.WaitAsync(cancellationToken);

        Assert.That((_body.Writes[^1], _body.Ended, session.EndReason), Is.EqualTo(("event: e\ndata: 1\nid: 1\n\n", true, StreamEndReason.Closed)));
    }

    [Test]
    [CancelAfter(5_000)]
    public async Task Offer_QueueFullByEvents_RefusesSoTheHubCutsTheClient(CancellationToken cancellationToken)
    {
        var session = Session(maxEvents: 2);
        _body.Hold();
        var run = session.RunAsync(Retry, []);
        await _body.WhenWritesStarted(1).WaitAsync(cancellationToken);

        Assert.That(new[] { Took(session, Event(1)), Took(session, Event(2)), Took(session, Event(3)) }, Is.EqualTo(new[] { true, true, false }));

        session.Cut(StreamEndReason.Slow);
        await run.WaitAsync(cancellationToken);
        Assert.That((_body.WasCut, _body.Ended, session.EndReason), Is.EqualTo((true, false, StreamEndReason.Slow)));
    }

    [Test]
    [CancelAfter(5_000)]
    public async Task Offer_DefaultLimits_QueueFourThousandSmallFramesBehindAStuckWrite_AndRefuseTheNext(CancellationToken cancellationToken)
    {
        var session = new StreamDelivery(7, _body, StreamLimits.For(TimeSpan.FromSeconds(15)), Heartbeat, _time, new ServerMetrics(_meter, _time), Serilog.Core.Logger.None);
        _body.Hold();
        var run = session.RunAsync(Retry, []);
        await _body.WhenWritesStarted(1).WaitAsync(cancellationToken);

        // A fifth of a second of a 20,000 events/s scenario, well under the byte bound: not a slow client.
        bool[] offers = Enumerable.Range(1, 4097).Select(id => Took(session, Event(id))).ToArray();

        Assert.That((offers.Take(4096).All(ok => ok), offers[^1]), Is.EqualTo((true, false)));
        session.Cut(StreamEndReason.Slow);
        await run.WaitAsync(cancellationToken);
    }

    [Test]
    [CancelAfter(5_000)]
    public async Task Offer_QueueFullByBytes_RefusesTheFrameThatWouldPassTheLimit(CancellationToken cancellationToken)
    {
        var frame = Event(1);
        var session = Session(maxEvents: 100, maxBytes: frame.Bytes.Length * 2);
        _body.Hold();
        var run = session.RunAsync(Retry, []);
        await _body.WhenWritesStarted(1).WaitAsync(cancellationToken);

        // The bound counts the frames behind the one the writer takes next.
        Assert.That(new[] { Took(session, frame), Took(session, frame), Took(session, frame), Took(session, frame) }, Is.EqualTo(new[] { true, true, true, false }));

        session.Cut(StreamEndReason.Slow);
        await run.WaitAsync(cancellationToken);
    }

    [Test]
    [CancelAfter(5_000)]
    public async Task Offer_FrameLargerThanTheByteBoundThenAnother_BothQueuedBeforeTheWriterWakes(CancellationToken cancellationToken)
    {
        var session = Session(maxEvents: 100, maxBytes: 1024);
        _body.Hold();
        var run = session.RunAsync(Retry, []);
        await _body.WhenWritesStarted(1).WaitAsync(cancellationToken);
        var large = TestFrames.Event(1, Encoding.UTF8.GetBytes($"data: {new string('l', 4096)}\nid: 1\n\n"));
        var small = Event(2);

        bool[] offered = [Took(session, large), Took(session, small)];
        bool[] more = [.. Enumerable.Range(0, 60).Select(_ => Took(session, small))];

        Assert.That(offered, Is.EqualTo(new[] { true, true }), "a large frame waiting for the writer is not a slow client");
        Assert.That(more, Does.Contain(false), "the frames behind it are still bounded by bytes");
        Assert.That(more.TakeWhile(ok => ok).Count(), Is.EqualTo(1024 / small.Bytes.Length - 1), "up to the bound behind the large frame");
        session.Cut(StreamEndReason.Slow);
        await run.WaitAsync(cancellationToken);
    }

    [Test]
    [CancelAfter(5_000)]
    public async Task OnTick_IdleForAHeartbeat_SendsOneHeartbeat(CancellationToken cancellationToken)
    {
        var session = Session();
        var run = session.RunAsync(Retry, []);
        await _body.WhenWritesStarted(1).WaitAsync(cancellationToken);

        _time.Advance(TimeSpan.FromSeconds(14.9));
        session.OnTick(_time.GetTimestamp());
        Assert.That(_body.Writes, Has.Count.EqualTo(1), "not idle long enough yet");

        _time.Advance(TimeSpan.FromSeconds(0.1));
        session.OnTick(_time.GetTimestamp());
        await _body.WhenWritesStarted(2).WaitAsync(cancellationToken);
        session.Finish(StreamEndReason.Shutdown);
        await run.WaitAsync(cancellationToken);

        Assert.That(_body.Writes, Is.EqualTo(new[] { "retry: 3000\n\n", ": heartbeat\n\n" }));
        Assert.That(session.EventsSent, Is.EqualTo(0), "a heartbeat is not an event");
    }

    [Test]
    [CancelAfter(5_000)]
    public async Task OnTick_WriteStuckLongerThanTheStallLimit_CutsTheClient(CancellationToken cancellationToken)
    {
        var session = Session();
        _body.Hold();
        var run = session.RunAsync(Retry, []);
        await _body.WhenWritesStarted(1).WaitAsync(cancellationToken);

        _time.Advance(TimeSpan.FromSeconds(15));
        session.OnTick(_time.GetTimestamp());
        Assert.That(_body.WasCut, Is.False, "stuck for exactly the limit is not yet a stall");

        _time.Advance(TimeSpan.FromMilliseconds(1));
        session.OnTick(_time.GetTimestamp());
        await run.WaitAsync(cancellationToken);

        Assert.That((_body.WasCut, _body.Ended, session.EndReason), Is.EqualTo((true, false, StreamEndReason.Stalled)));
    }

    [Test]
    [CancelAfter(5_000)]
    public async Task Finish_WritesWhatIsQueuedFirst_ThenEndsCleanly(CancellationToken cancellationToken)
    {
        var session = Session();
        _body.Hold();
        var run = session.RunAsync(Retry, []);
        await _body.WhenWritesStarted(1).WaitAsync(cancellationToken);
        Took(session, Event(1));

        session.Finish(StreamEndReason.Drop);
        Assert.That(Took(session, Event(2)), Is.True, "a finishing stream takes no more frames but does not count as behind");
        _body.Release();
        await run.WaitAsync(cancellationToken);

        Assert.That(_body.Writes, Is.EqualTo(new[] { "retry: 3000\n\n", "event: e\ndata: 1\nid: 1\n\n" }));
        Assert.That((_body.Ended, session.EndReason), Is.EqualTo((true, StreamEndReason.Drop)));
    }

    [Test]
    [CancelAfter(5_000)]
    public async Task RunAsync_ServerLifetimeEnds_FinishesCleanlyAfterWhatIsQueued(CancellationToken cancellationToken)
    {
        using var lifetime = new CancellationTokenSource();
        var session = Session();
        _body.Hold();
        var run = session.RunAsync(Retry, [], lifetime.Token);
        await _body.WhenWritesStarted(1).WaitAsync(cancellationToken);
        Took(session, Event(1));

        await lifetime.CancelAsync();
        _body.Release();
        await run.WaitAsync(cancellationToken);

        Assert.That(_body.Writes, Is.EqualTo(new[] { "retry: 3000\n\n", "event: e\ndata: 1\nid: 1\n\n" }));
        Assert.That((_body.Ended, _body.WasCut, session.EndReason, session.Completion.IsCompleted), Is.EqualTo((true, false, StreamEndReason.Shutdown, true)));
    }

    [Test]
    [CancelAfter(5_000)]
    public async Task DisposeAsync_StreamStuckInAWrite_CutsItAndWaitsForItsRunToEnd(CancellationToken cancellationToken)
    {
        var session = Session();
        _body.Hold();
        var run = session.RunAsync(Retry, []);
        await _body.WhenWritesStarted(1).WaitAsync(cancellationToken);

        await session.DisposeAsync().AsTask().WaitAsync(cancellationToken);

        Assert.That((run.IsCompleted, _body.WasCut, _body.Ended, session.EndReason), Is.EqualTo((true, true, false, StreamEndReason.Shutdown)));
    }

    [Test]
    [CancelAfter(5_000)]
    public async Task StreamSessions_TrackUntilDisposed_AndDisposeAllEndsWhatIsStillOpen(CancellationToken cancellationToken)
    {
        var sessions = new StreamSessions();
        var open = Session();
        var left = new StreamDelivery(8, new FakeResponseBody(), new StreamLimits(8, 1024, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(15)), Heartbeat, _time, new ServerMetrics(_meter, _time), Serilog.Core.Logger.None);
        using var tracked = sessions.Track(open);
        using (sessions.Track(left))
        {
            Assert.That(sessions.Count, Is.EqualTo(2));
        }

        _body.Hold();
        var run = open.RunAsync(Retry, []);
        await _body.WhenWritesStarted(1).WaitAsync(cancellationToken);
        var ended = sessions.WhenAllEndedAsync();
        Assert.That((sessions.Count, ended.IsCompleted), Is.EqualTo((1, false)));

        await sessions.DisposeAllAsync().WaitAsync(cancellationToken);

        Assert.That((run.IsCompleted, ended.IsCompleted, _body.WasCut), Is.EqualTo((true, true, true)));
    }

    [Test]
    [CancelAfter(5_000)]
    public async Task Decline_AStreamThatNeverRuns_HasEndedAtOnce_SoAShutdownDisposingItDoesNotWait(CancellationToken cancellationToken)
    {
        // A refused client is tracked like any stream, then answered 503 and never run: without the
        // decline, disposing it at shutdown waited for a run that never comes.
        var session = Session();

        session.Decline();
        await session.DisposeAsync().AsTask().WaitAsync(cancellationToken);

        Assert.That((session.Completion.IsCompletedSuccessfully, _body.Writes.Count, _body.WasCut, session.Offer(Event(1))), Is.EqualTo((true, 0, false, Offered.Ending)));
    }
}
