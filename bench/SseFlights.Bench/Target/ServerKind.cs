namespace SseFlights.Bench.Target;

/// <summary>The servers the bench knows how to start; they share the wire contract and most flags.</summary>
internal enum ServerKind
{
    Sseflights,
    Node,
    Kestrel,
}
