using SseFlights.Delivery;

namespace SseFlights.Hub;

/// <summary>
/// The newest events, kept for resend after a reconnect: a ring of at most <c>capacity</c> frames
/// with increasing ids. A scenario numbers its events 1, 2, 3, …; a live log's ids are its sequence
/// numbers, with gaps where a message became no event. So the history finds "every event after id N"
/// by id (a binary search in the ring), and it knows how far back it is whole: it holds every event
/// after <see cref="Floor"/>. Not thread-safe; <see cref="EventHub"/> serialises access.
/// </summary>
internal sealed class EventHistory(int capacity)
{
    private readonly Frame[] _ring = new Frame[capacity];
    private int _start;
    private int _count;

    public int Count => _count;

    /// <summary>Every event with an id above this is held; the events up to it were forgotten (or came before this history began).</summary>
    public long Floor { get; private set; }

    /// <summary>For a history that begins after events it never held (a replica that starts mid-way): nothing at or below <paramref name="floor"/> is held.</summary>
    public void StartAfter(long floor)
    {
        if (_count > 0)
        {
            throw new InvalidOperationException("Only an empty history can start after an id.");
        }

        Floor = floor;
    }

    public void Add(Frame frame)
    {
        long newest = _count > 0 ? _ring[(_start + _count - 1) % capacity].Id : Floor;
        if (frame.Id <= newest)
        {
            throw new InvalidOperationException($"History ids must increase; got {frame.Id} after {newest}.");
        }

        if (capacity == 0)
        {
            Floor = frame.Id;
            return;
        }

        if (_count < capacity)
        {
            _ring[(_start + _count++) % capacity] = frame;
        }
        else
        {
            Floor = _ring[_start].Id;
            _ring[_start] = frame;
            _start = (_start + 1) % capacity;
        }
    }

    /// <summary>
    /// Every event after <paramref name="lastId"/> up to <paramref name="newestId"/>, if the history
    /// still holds all of them; false if some have already been forgotten. An id that is no event's
    /// (a log sequence that became none) gets the events after it.
    /// </summary>
    public bool TryGetAfter(long lastId, long newestId, out Frame[] missed)
    {
        missed = [];
        if (lastId >= newestId)
        {
            return lastId == newestId;
        }

        if (lastId < Floor)
        {
            return false;
        }

        int first = FirstAfter(lastId);
        missed = new Frame[_count - first];
        for (int i = first; i < _count; i++)
        {
            missed[i - first] = _ring[(_start + i) % capacity];
        }

        return true;
    }

    /// <summary>The position (0 = oldest) of the first frame with an id above <paramref name="id"/>; <see cref="Count"/> if none.</summary>
    private int FirstAfter(long id)
    {
        int low = 0, high = _count;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (_ring[(_start + middle) % capacity].Id <= id)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
