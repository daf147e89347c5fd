using System.Threading.Tasks.Sources;

namespace SseFlights.Broadcast;

/// <summary>
/// One stream's queue of frames: bounded, offered to by many (the hub, the ticker), read by the
/// stream's single writer, which waits for it without a thread. Unlike a Channel, an offer never
/// wakes the writer by itself: it says whether the writer must be woken, and the caller chooses
/// where. A fan-out wakes its streams' writers a core's worth at a time, each writer running on
/// the waking thread up to its next wait (its write to a socket with room completes at once); one
/// pool work item per delivery, which is what a Channel costs, was most of the fan-out's own CPU.
/// Everyone else wakes the writer on the pool (<see cref="WakeOnPool"/>).
/// </summary>
internal sealed class FrameQueue(int capacity) : IValueTaskSource<bool>, IThreadPoolWorkItem
{
    private readonly Lock _gate = new();
    private EncodedEvent?[] _items = new EncodedEvent?[Math.Min(4, capacity)];
    private int _head, _count;
    private bool _completed, _waiting;

    // Continuations run on the thread that wakes: the point of the queue.
    private ManualResetValueTaskSourceCore<bool> _waiter = new() { RunContinuationsAsynchronously = false };

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>
    /// Queues <paramref name="frame"/> unless the queue is full or completed. <paramref name="wake"/>
    /// is true when the writer is waiting and was not woken yet: the caller must then call
    /// <see cref="Wake"/> or <see cref="WakeOnPool"/> exactly once, and never while holding a lock.
    /// </summary>
    public bool TryWrite(EncodedEvent frame, out bool wake)
    {
        lock (_gate)
        {
            wake = false;
            if (_completed || _count == capacity)
            {
                return false;
            }

            if (_count == _items.Length)
            {
                Grow();
            }

            _items[(_head + _count) % _items.Length] = frame;
            _count++;
            wake = TakeWaiter();
            return true;
        }
    }

    public bool TryPeek(out EncodedEvent frame)
    {
        lock (_gate)
        {
            frame = _count > 0 ? _items[_head]! : null!;
            return _count > 0;
        }
    }

    public bool TryRead(out EncodedEvent frame)
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
            return true;
        }
    }

    /// <summary>No more frames will be queued; what is queued can still be read. True when the writer must be woken (as for <see cref="TryWrite"/>).</summary>
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
    /// True at once if a frame is queued, false at once if the queue is completed and empty;
    /// otherwise completes (with true: look again) when an offer's or the completion's waker calls
    /// <see cref="Wake"/>. One reader only, with one wait at a time.
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
        var larger = new EncodedEvent?[Math.Min(_items.Length * 2, capacity)];
        for (int i = 0; i < _count; i++)
        {
            larger[i] = _items[(_head + i) % _items.Length];
        }

        (_items, _head) = (larger, 0);
    }
}
