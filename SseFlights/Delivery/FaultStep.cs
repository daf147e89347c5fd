namespace SseFlights.Delivery;

/// <summary>What a stream's writer does after a frame, as its transport fault says.</summary>
internal enum FaultStep
{
    /// <summary>Write on (a stalled stream "writes" on too: its bytes are dropped, heartbeats included).</summary>
    Go,

    /// <summary>Reset the connection now: no clean end, the client sees a network error.</summary>
    Reset,

    /// <summary>End the stream cleanly now: the truncated frame was the last thing sent.</summary>
    End,
}
