using System.Threading.Tasks.Sources;

namespace SseFlights.Delivery;

/// <summary>
/// One stream's queue of frames, bounded both by count and by bytes, offered to by many (the hub,
/// the ticker), read by the stream's single writer, which waits for it without a thread. Unlike a
/// Channel, an offer never wakes the writer by itself: it says whether the writer must be woken, and
/// the caller chooses where. A fan-out wakes its streams' writers a core's worth at a time, each
/// writer running on the waking thread up to its next wait (its write to a socket with room completes
/// at once); one pool work item per delivery, which is what a Channel costs, was most of the fan-out's
/// own CPU. Everyone else wakes the writer on the pool (<see cref="WakeOnPool"/>).
/// </summary>
internal sealed class FrameQueue(int maxFrames, long maxBytes) : IValueTaskSource<bool>, IThreadPoolWorkItem
{
    private readonly Lock _gate = new();
    private Frame?[] _items = new Frame?[Math.Min(4, maxFrames)];
    private int _head, _count;
    private long _bytes;
    private bool _completed, _waiting;

    // Continuations run on the thread that wakes: the point of the queue.
    private ManualResetValueTaskSourceCore<bool> _waiter = new() { RunContinuationsAsynchronously = false };

    /// <summary>Bytes queued and not yet taken by the writer.</summary>
    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    /// <summary>
    /// Queues <paramref name="frame"/> if there is room. There is room below both bounds; and the frame
    /// the writer takes next does not count against the byte bound, so one frame larger than the bound
    /// (a 1 MiB event), followed by another before the writer woke, is not a slow client.
    /// </summary>
    public Offered TryWrite(Frame frame)
    {
        lock (_gate)
        {
            if (_completed)
            {
                return Offered.Ending;
            }

            long bytes = _bytes + frame.Bytes.Length;
            bool room = _count == 0 || bytes <= maxBytes || bytes - _items[_head]!.Bytes.Length <= maxBytes;
            if (_count == maxFrames || !room)
            {
                return Offered.Full;
            }

            if (_count == _items.Length)
            {
                Grow();
            }

            _items[(_head + _count) % _items.Length] = frame;
            _count++;
            _bytes = bytes;
            return TakeWaiter() ? Offered.Waiting : Offered.Queued;
        }
    }

    public bool TryPeek(out Frame frame)
    {
        lock (_gate)
        {
            frame = _count > 0 ? _items[_head]! : null!;
            return _count > 0;
        }
    }

    public bool TryRead(out Frame frame)
    {
        lock (_gate)
        {
            if (_count == 0)
            {
                frame = null!;
                return false;
            }

            frame = _items[_head]!;
            _items[_head] = null;
            _head = (_head + 1) % _items.Length;
            _count--;
            _bytes -= frame.Bytes.Length;
            return true;
        }
    }

    /// <summary>No more frames will be queued; what is queued can still be read. True when the writer must be woken.</summary>
    public bool Complete()
    {
        lock (_gate)
        {
            if (_completed)
            {
                return false;
            }

            _completed = true;
            return TakeWaiter();
        }
    }

    /// <summary>
    /// True at once if a frame is queued, false at once if the queue is completed and empty; otherwise
    /// completes (with true: look again) when an offer's or the completion's waker calls <see cref="Wake"/>.
    /// One reader only, with one wait at a time.
    /// </summary>
    public ValueTask<bool> WaitToReadAsync()
    {
        lock (_gate)
        {
            if (_count > 0 || _completed)
            {
                return new ValueTask<bool>(_count > 0);
            }

            _waiter.Reset();
            _waiting = true;
            return new ValueTask<bool>(this, _waiter.Version);
        }
    }

    /// <summary>Wakes the waiting writer on this thread: it runs here until its next wait.</summary>
    public void Wake() => _waiter.SetResult(true);

    /// <summary>Wakes the waiting writer on the thread pool.</summary>
    public void WakeOnPool() => ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);

    void IThreadPoolWorkItem.Execute() => Wake();

    bool IValueTaskSource<bool>.GetResult(short token) => _waiter.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _waiter.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _waiter.OnCompleted(continuation, state, token, flags);

    /// <summary>Under the lock: whoever takes the waiting writer is the one who wakes it.</summary>
    private bool TakeWaiter()
    {
        bool waiting = _waiting;
        _waiting = false;
        return waiting;
    }

    private void Grow()
    {
        var larger = new Frame?[Math.Min(_items.Length * 2, maxFrames)];
        for (int i = 0; i < _count; i++)
        {
            larger[i] = _items[(_head + i) % _items.Length];
        }

        (_items, _head) = (larger, 0);
    }
}
