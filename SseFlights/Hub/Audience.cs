using SseFlights.Delivery;

namespace SseFlights.Hub;

/// <summary>
/// The open streams and the ids a few of them are held until (<see cref="ReplicaHold"/>). Joining and
/// leaving are O(1) even with ten thousand streams open. Not thread-safe: mutated and iterated only
/// under the hub's lock.
/// </summary>
internal sealed class Audience
{
    private readonly HashSet<IEventSubscriber> _streams = [];
    private readonly ReplicaHold _hold = new();

    public int Count => _streams.Count;

    public IEventSubscriber[] ToArray() => _streams.ToArray();

    /// <summary>A stream joins; with <paramref name="heldUntil"/> it gets nothing up to and including that id.</summary>
    public void Add(IEventSubscriber stream, long? heldUntil)
    {
        _streams.Add(stream);
        if (heldUntil is { } held)
        {
            _hold.Hold(stream, held);
        }
    }

    public void Remove(IEventSubscriber stream)
    {
        _streams.Remove(stream);
        _hold.Release(stream);
    }

    /// <summary>Offers <paramref name="frame"/> to every stream not held past it; the batch is finished after the hub's lock.</summary>
    public FanoutBatch Offer(Frame frame)
    {
        var batch = new FanoutBatch(_streams.Count);
        foreach (var stream in _streams)
        {
            if (!frame.HasId || !_hold.Skips(stream, frame))
            {
                batch.Offer(stream, frame);
            }
        }

        return batch;
    }
}
