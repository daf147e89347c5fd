namespace SseFlights.Scenario;

/// <summary>How a transport fault ends a stream once its trigger is reached.</summary>
internal enum FaultCut
{
    /// <summary>A TCP reset: the connection is aborted, not closed cleanly, so the client sees a network error.</summary>
    Reset,

    /// <summary>The connection stays open and nothing more is written, heartbeats included: for clients' read timeouts.</summary>
    Stall,

    /// <summary>The first bytes of the next frame, then a clean end: the client holds half an event when the body ends.</summary>
    Truncate,
}

/// <summary>Each write of the stream waits <paramref name="Ms"/> ± <paramref name="JitterMs"/> milliseconds (never less than 0).</summary>
internal sealed record WriteLatency(int Ms, int JitterMs)
{
    public const int MaxMs = 60_000;
}

/// <summary>
/// When and how a transport fault ends a stream: after <paramref name="AfterEvents"/> frames that carry an
/// id (the snapshot included) or after <paramref name="AfterBytes"/> bytes of the body; a truncation then
/// sends <paramref name="TruncateBytes"/> bytes of the next frame.
/// </summary>
internal sealed record FaultTrigger(FaultCut Cut, int? AfterEvents, long? AfterBytes, int TruncateBytes = 0)
{
    /// <summary>A reset before the response's head: the request is answered by a reset alone.</summary>
    public bool BeforeHead => Cut == FaultCut.Reset && AfterBytes == 0;
}

/// <summary>
/// A stream whose transport misbehaves on purpose, for testing clients: at most <paramref name="BytesPerSecond"/>
/// for the whole response, each write delayed by <paramref name="Latency"/>, and an <paramref name="End"/>
/// (reset, stall or truncation). Only that one stream is affected; every other stream is served as usual.
/// </summary>
internal sealed record TransportFault(int? BytesPerSecond, WriteLatency? Latency, FaultTrigger? End)
{
    public const int MaxBytesPerSecond = 1_000_000_000;
}
