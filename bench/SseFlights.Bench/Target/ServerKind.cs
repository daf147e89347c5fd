namespace SseFlights.Bench.Target;

/// <summary>The servers the bench knows how to start; they share the wire contract and most flags.</summary>
internal enum ServerKind
{
    Sseflights,
    Node,
    Kestrel,

    /// <summary>bench/peers/limit: the C floor; it plays the scenario's frame list (written beside the scenario).</summary>
    Limit,
}
