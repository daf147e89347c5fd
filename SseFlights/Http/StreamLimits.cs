namespace SseFlights.Http;

/// <summary>How much one stream may fall behind, and how often it must hear from us.</summary>
internal sealed record StreamLimits(int MaxQueuedEvents, long MaxQueuedBytes, TimeSpan Heartbeat, TimeSpan WriteStall)
{
    /// <summary>
    /// 256 events or 1 MiB queued beyond what the kernel already buffers: a healthy client drains
    /// its queue on every write, so only a stalled one ever gets near either bound.
    /// </summary>
    public static StreamLimits For(TimeSpan heartbeat) => new(256, 1024 * 1024, heartbeat, heartbeat);
}
