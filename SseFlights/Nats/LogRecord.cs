namespace SseFlights.Nats;

/// <summary>One message of the log: its stream sequence (the event's SSE id) and its body as published.</summary>
internal sealed record LogRecord(long Sequence, byte[] Payload)
{
    /// <summary>When the log's server stored it (its own clock), if it said: where a live event's latency counts from.</summary>
    public DateTimeOffset? Stored { get; init; }
}
