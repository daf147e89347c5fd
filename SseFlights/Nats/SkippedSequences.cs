namespace SseFlights.Nats;

/// <summary>
/// The sequences whose message reads as an event but became none on this replica: refused against the
/// board at that point, or after the close. Decoding a message alone cannot tell, so resending older
/// events from the log skips these. Bounded: past <c>capacity</c> the oldest go, and with them the
/// knowledge of everything up to them (<see cref="KnownAfter"/> moves up). Thread-safe: the source adds,
/// requests read.
/// </summary>
internal sealed class SkippedSequences(int capacity)
{
    private readonly Lock _gate = new();

    // In increasing order: sequences are applied in order.
    private readonly List<long> _sequences = [];
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
            _sequences.Add(sequence);
            if (_sequences.Count > capacity)
            {
                _knownAfter = Math.Max(_knownAfter, _sequences[0]);
                _sequences.RemoveAt(0);
            }
        }
    }

    public bool Contains(long sequence)
    {
        lock (_gate)
        {
            return _sequences.BinarySearch(sequence) >= 0;
        }
    }
}
