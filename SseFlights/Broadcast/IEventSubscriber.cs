namespace SseFlights.Broadcast;

/// <summary>One open stream as the hub sees it: somewhere to offer frames without ever waiting.</summary>
internal interface IEventSubscriber
{
    long ClientId { get; }

    /// <summary>
    /// Queues <paramref name="frame"/> if there is room; false means the client is too far behind.
    /// With a <paramref name="batch"/> (a fan-out, under the hub's lock) a waiting writer is left
    /// for the batch to wake after the lock; without one it is woken on the pool.
    /// </summary>
    bool Offer(EncodedEvent frame, FanoutBatch? batch = null);

    /// <summary>Ends the stream at once without another byte (a drop, a stalled client, a full queue).</summary>
    void Cut(StreamEndReason reason);

    /// <summary>Ends the stream cleanly once what is queued has been written (a drop, shutdown).</summary>
    void Finish(StreamEndReason reason);

    /// <summary>Called by the shared ticker: send a heartbeat if idle, cut if a write is stuck.</summary>
    void OnTick(long nowTimestamp);
}
