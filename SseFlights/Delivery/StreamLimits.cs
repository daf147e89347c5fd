namespace SseFlights.Delivery;

/// <summary>How much one stream may fall behind, and how often it must hear from us.</summary>
internal sealed record StreamLimits(int MaxQueuedEvents, long MaxQueuedBytes, TimeSpan Heartbeat, TimeSpan WriteStall)
{
    /// <summary>
    /// 4,096 events or 1 MiB queued beyond what the kernel already buffers: a healthy client drains
    /// its queue on every write, so only a stalled one ever gets near either bound. The frames are
    /// the hub's shared ones, so a full queue holds only its 32 KiB of slots. The event bound is
    /// the queue's time at a fast scenario's rate: 256 was 13 ms at 20,000 events/s, and a busy
    /// server cut thousands of healthy clients whose resends then kept it behind (bench/FINDINGS.md).
    /// </summary>
    public static StreamLimits For(TimeSpan heartbeat) => new(4096, 1024 * 1024, heartbeat, heartbeat);
}
