namespace SseFlights.Nats;

/// <summary>
/// The sequences whose message reads as an event but became none on this replica: refused against the
/// board at that point, or after the close. Decoding a message alone cannot tell, so resending older
/// events from the log skips these. Bounded: past <c>capacity</c> the oldest go, and with them the
/// knowledge of everything up to them (<see cref="KnownAfter"/> moves up). A ring: adding is O(1) full or
/// not, a lookup a binary search. Thread-safe: the source adds, requests read.
/// </summary>
internal sealed class SkippedSequences(int capacity)
{
    private readonly Lock _gate = new();

    // In increasing order from _start, wrapping: sequences are applied in order.
    private readonly long[] _ring = new long[capacity];
    private int _start;
    private int _count;
    private long _knownAfter;

    /// <summary>The outcome of every message after this one is known here (where this replica began, or the oldest forgotten).</summary>
    public long KnownAfter
    {
        get
        {
            lock (_gate)
            {
                return _knownAfter;
            }
        }
    }

    /// <summary>This replica begins after <paramref name="sequence"/> (a stored board): it knows nothing of the messages up to it.</summary>
    public void BeginAfter(long sequence)
    {
        lock (_gate)
        {
            _knownAfter = Math.Max(_knownAfter, sequence);
        }
    }

    public void Add(long sequence)
    {
        lock (_gate)
        {
            if (_count < capacity)
            {
                _ring[(_start + _count++) % capacity] = sequence;
                return;
            }

            // Full: the oldest goes, and with it what was known up to it.
            _knownAfter = Math.Max(_knownAfter, _ring[_start]);
            _ring[_start] = sequence;
            _start = (_start + 1) % capacity;
        }
    }

    public bool Contains(long sequence)
    {
        lock (_gate)
        {
            int low = 0, high = _count - 1;
            while (low <= high)
            {
                int middle = low + ((high - low) / 2);
                long found = _ring[(_start + middle) % capacity];
                if (found == sequence)
                {
                    return true;
                }

                (low, high) = found < sequence ? (middle + 1, high) : (low, middle - 1);
            }

            return false;
        }
    }
}
