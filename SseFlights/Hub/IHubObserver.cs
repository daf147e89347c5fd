namespace SseFlights.Hub;

/// <summary>What the hub reports as it happens, for the metrics: they observe, the hub never depends on them.</summary>
internal interface IHubObserver
{
    /// <summary>A frame was given an id and offered to every stream (an event, a cycle's snapshot, the close); counted here only.</summary>
    void Published();

    /// <summary>A request for /events was answered as <paramref name="plan"/> says.</summary>
    void Joined(JoinPlan plan);
}
