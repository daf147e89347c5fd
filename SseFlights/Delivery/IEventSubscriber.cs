namespace SseFlights.Delivery;

/// <summary>What an offer did to one stream's queue.</summary>
internal enum Offered
{
    /// <summary>Queued; the writer is already awake and will take it.</summary>
    Queued,

    /// <summary>Queued, and the writer waits: whoever offered must wake it, once, outside any lock.</summary>
    Waiting,

    /// <summary>No room: the client is too far behind, and whoever offered cuts it, outside any lock.</summary>
    Full,

    /// <summary>The stream is ending; nothing was queued and nothing more is needed.</summary>
    Ending,
}

/// <summary>One open stream as the hub sees it: somewhere to offer frames without ever waiting.</summary>
internal interface IEventSubscriber
{
    long ClientId { get; }

    /// <summary>Queues <paramref name="frame"/> if there is room, and says what the caller must do about it.</summary>
    Offered Offer(Frame frame);

    /// <summary>Wakes the waiting writer on this thread, which runs it until its next wait (after <see cref="Offered.Waiting"/>).</summary>
    void WakeHere();

    /// <summary>Wakes the waiting writer on the thread pool (after <see cref="Offered.Waiting"/>).</summary>
    void WakeOnPool();

    /// <summary>Ends the stream at once without another byte (a stalled client, a full queue).</summary>
    void Cut(StreamEndReason reason);

    /// <summary>Ends the stream cleanly once what is queued has been written (a drop, shutdown).</summary>
    void Finish(StreamEndReason reason);

    /// <summary>Called by the shared ticker: send a heartbeat if idle, cut if a write is stuck.</summary>
    void OnTick(long nowTimestamp);
}
