using SseFlights.Delivery;

namespace SseFlights.Hub;

/// <summary>
/// Events a live source read back from its log for a client resuming from an id older than the
/// history: every event with an id after <paramref name="After"/> up to <paramref name="UpTo"/> (the
/// history's floor when they were read), encoded exactly as when they were first sent. They resume the
/// client only if the history, at the moment it joins, still holds everything after <paramref name="UpTo"/>.
/// </summary>
internal sealed record OlderEvents(long After, long UpTo, IReadOnlyList<Frame> Frames);

/// <summary>Where older events come from: a live source's log. Asked outside the hub's lock, before the join.</summary>
internal interface IOlderEventSource
{
    /// <summary>
    /// The events after the id in <paramref name="lastEventId"/> that the history no longer holds, if that
    /// id is older than the history and the log still has them all; null otherwise (the join decides as usual).
    /// </summary>
    Task<OlderEvents?> FetchAsync(string? lastEventId, CancellationToken cancellationToken);
}
