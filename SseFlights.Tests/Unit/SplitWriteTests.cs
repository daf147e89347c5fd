using System.Diagnostics.Metrics;
using Microsoft.Extensions.Time.Testing;
using SseFlights.Delivery;
using SseFlights.Hub;
using SseFlights.Http;
using SseFlights.Metrics;
using SseFlights.Scenario;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Unit;

/// <summary>A split frame, written by one stream's writer in pieces on a fake clock.</summary>
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public class SplitWriteTests
{
    private static readonly byte[] Retry = "retry: 3000\n\n"u8.ToArray();
    private readonly TimerWatchingTimeProvider _time = new();
    private readonly Meter _meter = new(ServerMetrics.MeterName);

    private StreamDelivery Session(FakeResponseBody body) =>
        new(1, body, new StreamLimits(8, 1024, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(15)), TestFrames.Comment(":\n\n"u8.ToArray()), _time, new ServerMetrics(_meter, _time), Serilog.Core.Logger.None);

    /// <summary>Offers as the hub would, waking a waiting writer.</summary>
    private static void Offer(StreamDelivery session, Frame frame)
    {
        if (session.Offer(frame) == Offered.Waiting)
        {
            session.WakeOnPool();
        }
    }

    private static Frame Raw(string text, FrameSplit? split) => new(FrameKind.Raw, System.Text.Encoding.UTF8.GetBytes(text)) { Split = split };

    [Test]
    [CancelAfter(5_000)]
    public async Task Offer_SplitFrame_IsWrittenInPiecesWithThePauseBetweenThem(CancellationToken cancellationToken)
    {
        var body = new FakeResponseBody();
        var session = Session(body);
        var run = session.RunAsync(Retry, []);
        await body.WhenWritesStarted(1).WaitAsync(cancellationToken);

        Offer(session, Raw("data: ab\n\n", new FrameSplit(4, 20)));
        Offer(session, Raw(": after\n\n", null));
        await _time.WhenTimersCreated(TimeSpan.FromMilliseconds(20), 1).WaitAsync(cancellationToken);
        _time.Advance(TimeSpan.FromMilliseconds(19));
        Assert.That(body.Writes, Is.EqualTo(new[] { "retry: 3000\n\n", "data" }), "the second piece waits its 20 ms");

        _time.Advance(TimeSpan.FromMilliseconds(1));
        await _time.WhenTimersCreated(TimeSpan.FromMilliseconds(20), 2).WaitAsync(cancellationToken);
        _time.Advance(TimeSpan.FromMilliseconds(20));
        await body.WhenWritesStarted(5).WaitAsync(cancellationToken);
        session.Finish(StreamEndReason.Shutdown);
        await run.WaitAsync(cancellationToken);

        Assert.That(body.Writes, Is.EqualTo(new[] { "retry: 3000\n\n", "data", ": ab", "\n\n", ": after\n\n" }));
        Assert.That(session.EventsSent, Is.EqualTo(0), "a raw frame is not an event");
    }

    [Test]
    [CancelAfter(5_000)]
    public async Task Offer_SameSplitFrameToTwoStreams_OneStalledReaderDoesNotHoldUpTheOther(CancellationToken cancellationToken)
    {
        var frame = Raw("abc", new FrameSplit(1, 50));
        var held = new FakeResponseBody();
        var free = new FakeResponseBody();
        var (heldSession, freeSession) = (Session(held), Session(free));
        var runs = new[] { heldSession.RunAsync(Retry, []), freeSession.RunAsync(Retry, []) };
        await Task.WhenAll(held.WhenWritesStarted(1), free.WhenWritesStarted(1)).WaitAsync(cancellationToken);
        held.Hold();

        Offer(heldSession, frame);
        Offer(freeSession, frame);
        for (int piece = 3; piece <= 4; piece++)
        {
            // The free stream waits its 50 ms before each later piece; the held one is still in its first.
            await _time.WhenTimersCreated(TimeSpan.FromMilliseconds(50), piece - 2).WaitAsync(cancellationToken);
            _time.Advance(TimeSpan.FromMilliseconds(50));
            await free.WhenWritesStarted(piece).WaitAsync(cancellationToken);
        }

        // The held stream's first piece has started and never completes, so it stays at two writes.
        await held.WhenWritesStarted(2).WaitAsync(cancellationToken);
        Assert.That((free.Writes.Skip(1), held.Writes.Count), Is.EqualTo((new[] { "a", "b", "c" }, 2)));
        heldSession.Cut(StreamEndReason.Slow);
        freeSession.Finish(StreamEndReason.Shutdown);
        await Task.WhenAll(runs).WaitAsync(cancellationToken);
    }

    [Test]
    [CancelAfter(5_000)]
    public async Task Cut_DuringThePauseOfASplitFrame_EndsTheStreamAtOnce(CancellationToken cancellationToken)
    {
        var body = new FakeResponseBody();
        var session = Session(body);
        var run = session.RunAsync(Retry, []);
        Offer(session, Raw("abc", new FrameSplit(1, 60_000)));
        await body.WhenWritesStarted(2).WaitAsync(cancellationToken);

        session.Cut(StreamEndReason.Slow);
        await run.WaitAsync(cancellationToken);

        Assert.That((body.Writes.Count, body.WasCut, session.EndReason), Is.EqualTo((2, true, StreamEndReason.Slow)));
    }

    [Test]
    [CancelAfter(5_000)]
    public async Task RunAsync_SplitFrameAmongResends_IsWrittenSplitAfterTheFramesBeforeIt(CancellationToken cancellationToken)
    {
        var body = new FakeResponseBody();
        var session = Session(body);
        var first = TestFrames.Event(1, "id: 1\n\n"u8.ToArray());
        var split = TestFrames.Event(2, "id: 2\n\n"u8.ToArray()) with { Split = new FrameSplit(4, 0) };
        var run = session.RunAsync(Retry, [first, split]);
        await body.WhenWritesStarted(3).WaitAsync(cancellationToken);
        session.Finish(StreamEndReason.Shutdown);
        await run.WaitAsync(cancellationToken);

        Assert.That(body.Writes, Is.EqualTo(new[] { "retry: 3000\n\nid: 1\n\n", "id: ", "2\n\n" }));
        Assert.That(session.EventsSent, Is.EqualTo(2));
    }
}
