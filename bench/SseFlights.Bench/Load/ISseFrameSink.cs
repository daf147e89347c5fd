namespace SseFlights.Bench.Load;

/// <summary>Receives what <see cref="SseResponseParser"/> finds, in stream order.</summary>
internal interface ISseFrameSink
{
    /// <summary>The response head is complete; <paramref name="statusCode"/> is -1 when unreadable.</summary>
    void OnResponseHead(int statusCode);

    /// <summary>A frame ended (blank line). <paramref name="id"/> is -1 when it had no numeric id;
    /// <paramref name="eventType"/> is empty when it had no event line. Frames with neither
    /// (the <c>retry:</c> frame) are not reported. <paramref name="arrival"/> is the timestamp of
    /// the read that completed the frame.</summary>
    void OnFrame(ReadOnlySpan<byte> eventType, long id, long arrival);

    /// <summary>A <c>retry:</c> field of digits: the stream's reconnection time is now <paramref name="milliseconds"/>.</summary>
    void OnRetry(long milliseconds);

    /// <summary>The body ended: last chunk, Content-Length reached, or a response without a body.</summary>
    void OnEndOfBody();
}
