using SseFlights.Delivery;

namespace SseFlights.Tests.Unit;

/// <summary>A stream's queue: bounded, in order, and its writer woken exactly once, where the waker chooses.</summary>
public class FrameQueueTests
{
    private static Frame Frame(long id, int size = 1) => TestFrames.Event(id, new byte[size]);

    [Test]
    public void TryWrite_NoWaitingWriter_QueuesWithoutAWake()
    {
        var queue = new FrameQueue(4, 1024);

        Assert.That((queue.TryWrite(Frame(1)), queue.Bytes), Is.EqualTo((Offered.Queued, 1L)));
    }

    [Test]
    public void TryWrite_WhileTheWriterWaits_AsksForOneWakeOnly()
    {
        var queue = new FrameQueue(4, 1024);
        var wait = queue.WaitToReadAsync();

        var first = queue.TryWrite(Frame(1));
        var second = queue.TryWrite(Frame(2));

        Assert.That((wait.IsCompleted, first, second), Is.EqualTo((false, Offered.Waiting, Offered.Queued)));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Wake_RunsTheWaitingWriterOnTheWakingThread(CancellationToken cancellationToken)
    {
        var queue = new FrameQueue(4, 1024);
        int writerThread = 0;
        var writer = WaitThenNoteThreadAsync(queue, id => writerThread = id);
        queue.TryWrite(Frame(1));

        queue.Wake();

        // The writer ran to its end inside Wake(), before this line.
        Assert.That((writer.IsCompleted, writerThread), Is.EqualTo((true, Environment.CurrentManagedThreadId)));
        await writer.WaitAsync(cancellationToken);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task WakeOnPool_CompletesTheWaitWithTrue(CancellationToken cancellationToken)
    {
        var queue = new FrameQueue(4, 1024);
        var wait = queue.WaitToReadAsync().AsTask();
        queue.TryWrite(Frame(1));

        queue.WakeOnPool();

        Assert.That(await wait.WaitAsync(cancellationToken), Is.True);
    }

    [Test]
    public void TryWrite_FullQueue_IsRefusedAndLeavesTheQueueAsItWas()
    {
        var queue = new FrameQueue(3, 1024);
        for (int id = 1; id <= 3; id++)
        {
            queue.TryWrite(Frame(id));
        }

        Assert.That((queue.TryWrite(Frame(4)), queue.Bytes), Is.EqualTo((Offered.Full, 3L)));
    }

    [TestCase(924, true, TestName = "TryWrite_UpToTheByteBound_IsQueued")]
    [TestCase(925, false, TestName = "TryWrite_PastTheByteBound_IsRefused")]
    public void TryWrite_AgainstTheByteBound(int size, bool queued)
    {
        var queue = new FrameQueue(8, 1024);
        queue.TryWrite(Frame(1, 100));
        queue.TryWrite(Frame(2, 100));

        // The oldest frame does not count (the writer takes it next): 100 + size against 1,024.
        Assert.That(queue.TryWrite(Frame(3, size)), Is.EqualTo(queued ? Offered.Queued : Offered.Full));
    }

    [Test]
    public void TryWrite_OneFrameLargerThanTheByteBound_IsQueued_AndSoIsTheNextBehindIt()
    {
        var queue = new FrameQueue(8, 1024);

        // The frame the writer takes next does not count: a 1 MiB event followed by another is not a slow client.
        Assert.That((queue.TryWrite(Frame(1, 4096)), queue.TryWrite(Frame(2, 100)), queue.TryWrite(Frame(3, 1000))),
            Is.EqualTo((Offered.Queued, Offered.Queued, Offered.Full)));
    }

    [Test]
    public void TryRead_AcrossGrowthAndWrapAround_KeepsOfferOrder()
    {
        var queue = new FrameQueue(10, 1024);
        var read = new List<long>();
        long next = 1;
        for (int round = 0; round < 6; round++)
        {
            // Three in, two out: the ring wraps and grows from its first four slots to ten.
            for (int i = 0; i < 3 && queue.TryWrite(Frame(next)) != Offered.Full; i++)
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
        var queue = new FrameQueue(4, 1024);
        queue.TryWrite(Frame(7));
        queue.TryWrite(Frame(8, 2));

        queue.TryPeek(out var peeked);

        Assert.That((peeked.Id, queue.Bytes), Is.EqualTo((7L, 3L)));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Complete_WhileTheWriterWaits_AsksForAWakeAndThenReportsTheEnd(CancellationToken cancellationToken)
    {
        var queue = new FrameQueue(4, 1024);
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
        var queue = new FrameQueue(4, 1024);
        queue.TryWrite(Frame(1));

        queue.Complete();
        var accepted = queue.TryWrite(Frame(2));
        var wait = queue.WaitToReadAsync();
        queue.TryRead(out var frame);

        Assert.That((accepted, wait.IsCompleted, wait.Result, frame.Id, queue.WaitToReadAsync().Result), Is.EqualTo((Offered.Ending, true, true, 1L, false)));
    }

    [Test]
    public void Complete_Twice_AsksForAWakeOnlyOnce()
    {
        var queue = new FrameQueue(4, 1024);
        _ = queue.WaitToReadAsync();

        Assert.That((queue.Complete(), queue.Complete()), Is.EqualTo((true, false)));
    }

    private static async Task WaitThenNoteThreadAsync(FrameQueue queue, Action<int> note)
    {
        await queue.WaitToReadAsync().ConfigureAwait(false);
        note(Environment.CurrentManagedThreadId);
    }
}
