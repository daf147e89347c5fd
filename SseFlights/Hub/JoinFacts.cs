using SseFlights.Delivery;

namespace SseFlights.Hub;

/// <summary>What the hub knows at the instant a stream joins, for <see cref="JoinPolicy"/>.</summary>
/// <param name="LastId">The newest id issued.</param>
/// <param name="Closed">The board has closed.</param>
/// <param name="OpenStreams">Streams subscribed now.</param>
/// <param name="MaxClients">The most streams at once (<c>--max-clients</c>).</param>
/// <param name="Stopping">The server is shutting down (or its clock failed).</param>
/// <param name="Failure">Why the clock failed, or null.</param>
/// <param name="SendsSnapshots">False for a bare stream (<c>"snapshot": false</c>).</param>
/// <param name="HoldHorizon">With replicas, the newest id this one will have reached within the skew; null on one node.</param>
internal sealed record JoinFacts(long LastId, bool Closed, int OpenStreams, int MaxClients, bool Stopping, string? Failure, bool SendsSnapshots, long? HoldHorizon)
{
    /// <summary>Why this server cannot serve streams yet (a live replica catching up with its log), or null.</summary>
    public string? Unavailable { get; init; }
}

/// <summary>The frames a join may need, which only the hub holds.</summary>
internal interface IJoinFrames
{
    /// <summary>Every event after <paramref name="id"/> up to the newest, if the history still holds them all.</summary>
    bool TryResendAfter(long id, out Frame[] missed);

    /// <summary>The board now, as a snapshot with the newest id.</summary>
    Frame Snapshot();

    /// <summary>After the close: the final board and then the close, so nobody misses it.</summary>
    Frame[] FinalSnapshotThenClose();
}
