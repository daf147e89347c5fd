using SseFlights.Delivery;

namespace SseFlights.Tests.Unit;

/// <summary>A fan-out's batch: queues under the lock, then wakes every waiting writer once and cuts whoever had no room.</summary>
public class FanoutBatchTests
{
    private static readonly Frame Frame = TestFrames.Event(1, "data: x\n\n"u8.ToArray());

    [Test]
    [CancelAfter(10_000)]
    public async Task Finish_WakesEveryWaitingWriterOnce_AcrossSeveralShares(CancellationToken cancellationToken)
    {
        // 300 writers: more than one share's worth, so several pool work items split them.
        var queues = Enumerable.Range(0, 300).Select(_ => new FrameQueue(4, 1024)).ToArray();
        var waits = queues.Select(q => q.WaitToReadAsync().AsTask()).ToArray();
        var batch = new FanoutBatch(queues.Length);
        foreach (var queue in queues)
        {
            batch.Offer(new QueueSubscriber(queue), Frame);
        }

        bool wokenBeforeFinish = waits.Any(w => w.IsCompleted);
        batch.Finish(Serilog.Core.Logger.None, Frame.Id);
        bool[] woken = await Task.WhenAll(waits).WaitAsync(cancellationToken);

        Assert.That((wokenBeforeFinish, woken.Count(w => w)), Is.EqualTo((false, 300)));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Finish_CutsOnlyTheClientsWithNoRoom_AsSlow_OnThePool()
    {
        var full = new FakeSubscriber(1, room: 0);
        var roomy = new FakeSubscriber(2);
        var batch = new FanoutBatch(2);
        batch.Offer(full, Frame);
        batch.Offer(roomy, Frame);

        var cutBeforeFinish = full.CutReason;
        batch.Finish(Serilog.Core.Logger.None, Frame.Id);
        await Support.Eventually.TrueAsync(() => full.CutReason is not null, TimeSpan.FromSeconds(5), "the full client's cut");

        Assert.That((cutBeforeFinish, full.CutReason, roomy.CutReason, roomy.Ids.Single()), Is.EqualTo(((StreamEndReason?)null, (StreamEndReason?)StreamEndReason.Slow, (StreamEndReason?)null, 1L)));
    }

    /// <summary>A subscriber that is only its queue: offers queue, a wake wakes the queue's waiter.</summary>
    private sealed class QueueSubscriber(FrameQueue queue) : IEventSubscriber
    {
        public long ClientId => 0;

        public Offered Offer(Frame frame) => queue.TryWrite(frame);

        public void WakeHere() => queue.Wake();

        public void WakeOnPool() => queue.WakeOnPool();

        public void Cut(StreamEndReason reason)
        {
        }

        public void Finish(StreamEndReason reason)
        {
        }

        public void OnTick(long nowTimestamp)
        {
        }
    }
}
