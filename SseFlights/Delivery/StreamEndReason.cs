namespace SseFlights.Delivery;

/// <summary>Why a stream ended: a value to count and branch on; <see cref="StreamEndReasons.Describe"/> gives the words for logs.</summary>
internal enum StreamEndReason
{
    /// <summary>The client went away: a write failed (often a heartbeat, after the peer's FIN).</summary>
    Dead,

    /// <summary>The client fell too far behind: its queue was full when an event was offered.</summary>
    Slow,

    /// <summary>A write to the client did not complete within the stall limit.</summary>
    Stalled,

    /// <summary>The scenario's drop action ended every stream.</summary>
    Drop,

    /// <summary>The server is shutting down.</summary>
    Shutdown,

    /// <summary>The board closed: the stream ended after the close event, as it should.</summary>
    Closed,

    /// <summary>The scenario clock failed, so no further event will come; the server is about to exit.</summary>
    Failure,

    /// <summary>A transport fault a rule or the control API set for this stream reset or truncated it.</summary>
    Fault,
}

/// <summary>The human side of <see cref="StreamEndReason"/>: what the logs say.</summary>
internal static class StreamEndReasons
{
    public static string Describe(this StreamEndReason reason) => reason switch
    {
        StreamEndReason.Dead => "the client went away",
        StreamEndReason.Slow => "too far behind",
        StreamEndReason.Stalled => "a write was stuck",
        StreamEndReason.Drop => "dropped by the scenario",
        StreamEndReason.Shutdown => "the server is shutting down",
        StreamEndReason.Closed => "the board has closed",
        StreamEndReason.Failure => "the scenario clock failed",
        StreamEndReason.Fault => "ended by its transport fault",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}
