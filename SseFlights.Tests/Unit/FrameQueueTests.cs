using SseFlights.Broadcast;

namespace SseFlights.Tests.Unit;

/// <summary>A stream's queue: bounded, in order, and its writer woken exactly once, where the waker chooses.</summary>
public class FrameQueueTests
{
    private static EncodedEvent Frame(long id) => new(id, "e", [(byte)id]);

    [Test]
    public void TryWrite_NoWaitingWriter_QueuesWithoutAWake()
    {
        var queue = new FrameQueue(4);

        Assert.That((queue.TryWrite(Frame(1), out bool wake), wake, queue.Count), Is.EqualTo((true, false, 1)));
    }

    [Test]
    public void TryWrite_WhileTheWriterWaits_AsksForOneWakeOnly()
    {
        var queue = new FrameQueue(4);
        var wait = queue.WaitToReadAsync();

        queue.TryWrite(Frame(1), out bool first);
        queue.TryWrite(Frame(2), out bool second);

        Assert.That((wait.IsCompleted, first, second), Is.EqualTo((false, true, false)));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Wake_RunsTheWaitingWriterOnTheWakingThread(CancellationToken cancellationToken)
    {
        var queue = new FrameQueue(4);
        int writerThread = 0;
        var writer = WaitThenNoteThreadAsync(queue, id => writerThread = id);
        queue.TryWrite(Frame(1), out _);

        queue.Wake();

        // The writer ran to its end inside Wake(), before this line.
        Assert.That((writer.IsCompleted, writerThread), Is.EqualTo((true, Environment.CurrentManagedThreadId)));
        await writer.WaitAsync(cancellationToken);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task WakeOnPool_CompletesTheWaitWithTrue(CancellationToken cancellationToken)
    {
        var queue = new FrameQueue(4);
        var wait = queue.WaitToReadAsync().AsTask();
        queue.TryWrite(Frame(1), out _);

        queue.WakeOnPool();

        Assert.That(await wait.WaitAsync(cancellationToken), Is.True);
    }

    [Test]
    public void TryWrite_FullQueue_IsRefusedAndLeavesTheQueueAsItWas()
    {
        var queue = new FrameQueue(3);
        for (int id = 1; id <= 3; id++)
        {
            queue.TryWrite(Frame(id), out _);
        }

        Assert.That((queue.TryWrite(Frame(4), out bool wake), wake, queue.Count), Is.EqualTo((false, false, 3)));
    }

    [Test]
    public void TryRead_AcrossGrowthAndWrapAround_KeepsOfferOrder()
    {
        var queue = new FrameQueue(10);
        var read = new List<long>();
        long next = 1;
        for (int round = 0; round < 6; round++)
        {
            // Three in, two out: the ring wraps and grows from its first four slots to ten.
            for (int i = 0; i < 3 && queue.TryWrite(Frame(next), out _); i++)
            {
                next++;
            }

            for (int i = 0; i < 2 && queue.TryRead(out var frame); i++)
            {
                read.Add(frame.Id);
            }
        }

        while (queue.TryRead(out var frame))
        {
            read.Add(frame.Id);
        }

        Assert.That(read, Is.EqualTo(Enumerable.Range(1, (int)next - 1).Select(i => (long)i)));
    }

    [Test]
    public void TryPeek_ShowsTheOldestWithoutTakingIt()
    {
        var queue = new FrameQueue(4);
        queue.TryWrite(Frame(7), out _);
        queue.TryWrite(Frame(8), out _);

        queue.TryPeek(out var peeked);

        Assert.That((peeked.Id, queue.Count), Is.EqualTo((7L, 2)));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Complete_WhileTheWriterWaits_AsksForAWakeAndThenReportsTheEnd(CancellationToken cancellationToken)
    {
        var queue = new FrameQueue(4);
        var wait = queue.WaitToReadAsync().AsTask();

        bool wake = queue.Complete();
        queue.Wake();
        bool woke = await wait.WaitAsync(cancellationToken);
        var after = queue.WaitToReadAsync();

        Assert.That((wake, woke, after.IsCompleted, after.Result), Is.EqualTo((true, true, true, false)));
    }

    [Test]
    public void Complete_QueuedFramesStayReadable_NewOnesAreRefused()
    {
        var queue = new FrameQueue(4);
        queue.TryWrite(Frame(1), out _);

        queue.Complete();
        bool accepted = queue.TryWrite(Frame(2), out _);
        var wait = queue.WaitToReadAsync();
        queue.TryRead(out var frame);

        Assert.That((accepted, wait.IsCompleted, wait.Result, frame.Id, queue.WaitToReadAsync().Result), Is.EqualTo((false, true, true, 1L, false)));
    }

    [Test]
    public void Complete_Twice_AsksForAWakeOnlyOnce()
    {
        var queue = new FrameQueue(4);
        _ = queue.WaitToReadAsync();

        Assert.That((queue.Complete(), queue.Complete()), Is.EqualTo((true, false)));
    }

    private static async Task WaitThenNoteThreadAsync(FrameQueue queue, Action<int> note)
    {
        await queue.WaitToReadAsync().ConfigureAwait(false);
        note(Environment.CurrentManagedThreadId);
    }
}
