using System.Diagnostics.Metrics;
using System.Text;
using SseFlights.Delivery;
using SseFlights.Metrics;
using SseFlights.Scenario;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Unit;

/// <summary>
/// One stream's transport fault, without sockets: a fake body and a fake clock. Bandwidth and latency
/// wait on the stream's own clock; a reset, a stall or a truncation comes after the frames with an id
/// (the snapshot included) or the bytes the fault names; a held stream writes only its head until released.
/// </summary>
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public class FaultedWritesTests
{
    // Ten bytes, so a bandwidth of 100 bytes a second sends it in one piece of a tenth of a second's worth.
    private static readonly byte[] Retry = "retry: 1\n\n"u8.ToArray();
    private static readonly Frame Heartbeat = TestFrames.Comment(": heartbeat\n\n"u8.ToArray());

    private readonly TimerWatchingTimeProvider _time = new();
    private readonly FakeResponseBody _body = new();
    private readonly Meter _meter = new(ServerMetrics.MeterName);
    private int _resets;

    /// <summary>An event of exactly 20 bytes with id <paramref name="id"/> (below 10).</summary>
    private static Frame Event(long id) => TestFrames.Event(id, Encoding.UTF8.GetBytes($"data: 0123456\nid:{id}\n\n"));

    private StreamDelivery Session(TransportFault? fault) =>
        new(7, _body, new StreamLimits(64, 64 * 1024, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(15)), Heartbeat, _time, new ServerMetrics(_meter, _time), Serilog.Core.Logger.None,
            fault, () => Interlocked.Increment(ref _resets));

    private static void Offer(StreamDelivery session, Frame frame, bool wakeHere = false)
    {
        if (session.Offer(frame) == Offered.Waiting)
        {
            if (wakeHere)
            {
                // The writer runs on this thread: whatever it would write, it has written when this returns.
                session.WakeHere();
            }
            else
            {
                session.WakeOnPool();
            }
        }
    }

    [Test]
    [CancelAfter(5_000)]
    public async Task Bandwidth_SendsPiecesOfATenthOfASecondsWorth_EachWhenTheBytesBeforeItHaveHadTheirTime(CancellationToken cancellationToken)
    {
        var session = Session(new TransportFault(100, null, null));
        var run = session.RunAsync(Retry, [Event(1)]);

        await _body.WhenWritesStarted(1).WaitAsync(cancellationToken);
        await _time.WhenTimersCreated(TimeSpan.FromMilliseconds(100), 1).WaitAsync(cancellationToken);
        Assert.That(_body.Writes, Is.EqualTo(new[] { "retry: 1\n\n" }), "at 0 s: the first 10 bytes");
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await _time.WhenTimersCreated(TimeSpan.FromMilliseconds(100), 2).WaitAsync(cancellationToken);
        Assert.That(_body.Writes, Has.Count.EqualTo(2), "at 0.1 s: 10 more");
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await _body.WhenWritesStarted(3).WaitAsync(cancellationToken);
        session.Finish(StreamEndReason.Shutdown);
        await run.WaitAsync(cancellationToken);

        Assert.That(_body.Writes, Is.EqualTo(new[] { "retry: 1\n\n", "data: 0123", "456\nid:1\n\n" }));
        Assert.That((_body.Ended, session.EventsSent), Is.EqualTo((true, 1L)));
    }

    [Test]
    [CancelAfter(5_000)]
    public async Task Latency_EachWriteWaitsItsMilliseconds_ThenGoesOutWhole(CancellationToken cancellationToken)
    {
        var session = Session(new TransportFault(null, new WriteLatency(200, 0), null));
        var run = session.RunAsync(Retry, []);

        await _time.WhenTimersCreated(TimeSpan.FromMilliseconds(200), 1).WaitAsync(cancellationToken);
        Assert.That(_body.Writes, Is.Empty, "the head and retry: wait their 200 ms too");
        _time.Advance(TimeSpan.FromMilliseconds(200));
        await _body.WhenWritesStarted(1).WaitAsync(cancellationToken);
        Offer(session, Event(1));
        await _time.WhenTimersCreated(TimeSpan.FromMilliseconds(200), 2).WaitAsync(cancellationToken);
        Assert.That(_body.Writes, Has.Count.EqualTo(1));
        _time.Advance(TimeSpan.FromMilliseconds(200));
        await _body.WhenWritesStarted(2).WaitAsync(cancellationToken);
        session.Finish(StreamEndReason.Shutdown);
        await run.WaitAsync(cancellationToken);

        Assert.That(_body.Writes, Is.EqualTo(new[] { "retry: 1\n\n", "data: 0123456\nid:1\n\n" }));
    }

    [Test]
    [CancelAfter(5_000)]
    public async Task ResetAfterEvents_AfterTheSnapshotAndOneEvent_ResetsAndCuts_WritingNothingMore(CancellationToken cancellationToken)
    {
        var session = Session(new TransportFault(null, null, new FaultTrigger(FaultCut.Reset, 2, null)));
        var run = session.RunAsync(Retry, [Event(1)]);
        await _body.WhenWritesStarted(2).WaitAsync(cancellationToken);

        Offer(session, Event(2));
        Offer(session, Event(3));
        await _time.WhenTimersCreated(FaultedWrites.ResetGrace, 1).WaitAsync(cancellationToken);
        Assert.That((_resets, run.IsCompleted), Is.EqualTo((0, false)), "the reset waits its grace, so the client can read what came before it");
        _time.Advance(FaultedWrites.ResetGrace);
        await run.WaitAsync(cancellationToken);

        Assert.That(_body.Writes, Is.EqualTo(new[] { "retry: 1\n\n", "data: 0123456\nid:1\n\n", "data: 0123456\nid:2\n\n" }));
        Assert.That((_resets, _body.WasCut, _body.Ended, session.EndReason), Is.EqualTo((1, true, false, StreamEndReason.Fault)));
    }

    [Test]
    [CancelAfter(5_000)]
    public async Task ResetAfterBytes_SendsExactlyThatManyBytes_ThenResets(CancellationToken cancellationToken)
    {
        var session = Session(new TransportFault(null, null, new FaultTrigger(FaultCut.Reset, null, 17)));

        var run = session.RunAsync(Retry, [Event(1), Event(2)]);
        await _time.WhenTimersCreated(FaultedWrites.ResetGrace, 1).WaitAsync(cancellationToken);
        Assert.That(_resets, Is.Zero, "the reset waits its grace");
        _time.Advance(FaultedWrites.ResetGrace);
        await run.WaitAsync(cancellationToken);

        Assert.That(string.Concat(_body.Writes), Is.EqualTo("retry: 1\n\ndata: 0"));
        Assert.That((_resets, _body.WasCut, session.EndReason), Is.EqualTo((1, true, StreamEndReason.Fault)));
    }

    [Test]
    [CancelAfter(5_000)]
    public async Task Stall_AfterOneEvent_WritesNothingMoreHeartbeatsIncluded_YetIsNeverCutAsStuck_AndEndsWithoutTheLastChunk(CancellationToken cancellationToken)
    {
        var session = Session(new TransportFault(null, null, new FaultTrigger(FaultCut.Stall, 1, null)));
        var run = session.RunAsync(Retry, [Event(1)]);
        await _body.WhenWritesStarted(2).WaitAsync(cancellationToken);

        Offer(session, Event(2));
        _time.Advance(TimeSpan.FromSeconds(16));
        session.OnTick(_time.GetTimestamp());
        _time.Advance(TimeSpan.FromSeconds(16));
        session.OnTick(_time.GetTimestamp());
        Offer(session, Event(3));
        session.Finish(StreamEndReason.Drop);
        await run.WaitAsync(cancellationToken);

        Assert.That(_body.Writes, Is.EqualTo(new[] { "retry: 1\n\n", "data: 0123456\nid:1\n\n" }));
        Assert.That((_body.WasCut, _body.Ended, session.EndReason, _resets), Is.EqualTo((true, false, StreamEndReason.Drop, 0)), "closed when the drop ends it, never ended cleanly, never reset");
    }

    [Test]
    [CancelAfter(5_000)]
    public async Task Stall_HoldsTheConnectionFiveMinutes_ThenClosesItWithoutTheLastChunk(CancellationToken cancellationToken)
    {
        var session = Session(new TransportFault(null, null, new FaultTrigger(FaultCut.Stall, 1, null)));
        var run = session.RunAsync(Retry, [Event(1)]);
        await _body.WhenWritesStarted(2).WaitAsync(cancellationToken);

        _time.Advance(FaultedWrites.StallHold - TimeSpan.FromSeconds(1));
        session.OnTick(_time.GetTimestamp());
        Offer(session, Event(2), wakeHere: true);
        Assert.That((run.IsCompleted, _body.Writes.Count, _body.WasCut), Is.EqualTo((false, 2, false)), "still held, a second before the bound");
        _time.Advance(TimeSpan.FromSeconds(2));
        session.OnTick(_time.GetTimestamp());
        await run.WaitAsync(cancellationToken);

        Assert.That(_body.Writes, Is.EqualTo(new[] { "retry: 1\n\n", "data: 0123456\nid:1\n\n" }));
        Assert.That((_body.WasCut, _body.Ended, session.EndReason, _resets), Is.EqualTo((true, false, StreamEndReason.Fault, 0)));
    }

    [Test]
    [CancelAfter(5_000)]
    public async Task Truncate_SendsTheFirstBytesOfTheNextFrame_ThenEndsCleanly(CancellationToken cancellationToken)
    {
        var session = Session(new TransportFault(null, null, new FaultTrigger(FaultCut.Truncate, 1, null, 7)));
        var run = session.RunAsync(Retry, [Event(1)]);
        await _body.WhenWritesStarted(2).WaitAsync(cancellationToken);

        Offer(session, Event(2));
        await run.WaitAsync(cancellationToken);
        Offer(session, Event(3));

        Assert.That(_body.Writes, Is.EqualTo(new[] { "retry: 1\n\n", "data: 0123456\nid:1\n\n", "data: 0" }));
        Assert.That((_body.Ended, _body.WasCut, session.EndReason), Is.EqualTo((true, false, StreamEndReason.Fault)));
    }

    [Test]
    [CancelAfter(5_000)]
    public async Task Hold_WritesOnlyTheHeadUntilReleased_ThenEverythingQueuedInOrder(CancellationToken cancellationToken)
    {
        var session = Session(null);
        var release = new TaskCompletionSource();
        var run = session.RunAsync(Retry, [Event(1)], release: release.Task);
        await _body.WhenWritesStarted(1).WaitAsync(cancellationToken);

        Offer(session, Event(2), wakeHere: true);
        Offer(session, Event(3), wakeHere: true);
        Assert.That(_body.Writes, Is.EqualTo(new[] { "retry: 1\n\n" }), "held: the head and retry: only");
        release.SetResult();
        await _body.WhenWritesStarted(3).WaitAsync(cancellationToken);
        session.Finish(StreamEndReason.Shutdown);
        await run.WaitAsync(cancellationToken);

        Assert.That(string.Concat(_body.Writes.Skip(1)), Is.EqualTo("data: 0123456\nid:1\n\ndata: 0123456\nid:2\n\ndata: 0123456\nid:3\n\n"), "from where it joined, nothing lost");
    }

    [Test]
    [CancelAfter(5_000)]
    public async Task Hold_AShutdownBeforeTheRelease_StillWritesWhatItHolds_ThenEndsCleanly(CancellationToken cancellationToken)
    {
        var session = Session(null);
        var run = session.RunAsync(Retry, [Event(1)], release: new TaskCompletionSource().Task);
        await _body.WhenWritesStarted(1).WaitAsync(cancellationToken);

        Offer(session, Event(2), wakeHere: true);
        session.Finish(StreamEndReason.Shutdown);
        await run.WaitAsync(cancellationToken);

        Assert.That(string.Concat(_body.Writes), Is.EqualTo("retry: 1\n\ndata: 0123456\nid:1\n\ndata: 0123456\nid:2\n\n"));
        Assert.That((_body.Ended, session.EndReason), Is.EqualTo((true, StreamEndReason.Shutdown)));
    }
}
