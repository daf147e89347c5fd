namespace SseFlights.Delivery;

/// <summary>What the streams' writers report as it happens, for the metrics: they observe, delivery never depends on them.</summary>
internal interface IDeliveryObserver
{
    /// <summary>
    /// One write completed at <paramref name="now"/>, carrying <paramref name="events"/> frames with ids
    /// in <paramref name="bytes"/> bytes; <paramref name="oldestDue"/> is the scheduled timestamp of its
    /// oldest live event, or 0 if it carried none.
    /// </summary>
    void Written(int events, int bytes, long oldestDue, long now);

    /// <summary>A stream that opened has ended, for <paramref name="reason"/>.</summary>
    void StreamEnded(StreamEndReason reason);
}
