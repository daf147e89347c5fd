using SseFlights.Delivery;

namespace SseFlights.Hub;

/// <summary>
/// The newest events, kept for resend after a reconnect: a ring of at most <c>capacity</c>
/// frames with consecutive ids. Not thread-safe; <see cref="EventHub"/> serialises access.
/// </summary>
internal sealed class EventHistory(int capacity)
{
    private readonly Frame[] _ring = new Frame[capacity];
    private int _start;
    private int _count;

    public int Count => _count;

    public void Add(Frame frame)
    {
        if (capacity == 0)
        {
            return;
        }

        if (_count > 0 && frame.Id != _ring[(_start + _count - 1) % capacity].Id + 1)
        {
            throw new InvalidOperationException($"History ids must be consecutive; got {frame.Id} after {_ring[(_start + _count - 1) % capacity].Id}.");
        }

        if (_count < capacity)
        {
            _ring[(_start + _count++) % capacity] = frame;
        }
        else
        {
            _ring[_start] = frame;
            _start = (_start + 1) % capacity;
        }
    }

    /// <summary>
    /// Every event after <paramref name="lastId"/> up to <paramref name="newestId"/>, if the history
    /// still holds all of them; false if some have already been forgotten.
    /// </summary>
    public bool TryGetAfter(long lastId, long newestId, out Frame[] missed)
    {
        long wanted = newestId - lastId;
        if (wanted <= 0)
        {
            missed = [];
            return wanted == 0;
        }

        if (wanted > _count)
        {
            missed = [];
            return false;
        }

        missed = new Frame[wanted];
        for (long i = 0; i < wanted; i++)
        {
            missed[i] = _ring[(_start + _count - wanted + i) % capacity];
        }

        return true;
    }
}
