using SseFlights.Scenario;

namespace SseFlights.Sources;

/// <summary>What became of an entry the control API appended to a live log, once this replica has read it back.</summary>
internal enum LiveAppendOutcome
{
    /// <summary>It became an event, with the log's sequence as its id.</summary>
    Event,

    /// <summary>It was applied and is no event: a drop, or a live-only comment, retry or raw frame.</summary>
    Applied,

    /// <summary>The board changed between the check and the log's order, and the entry no longer applies (the reason says why).</summary>
    Refused,

    /// <summary>The board had closed by the time the entry came back.</summary>
    AfterClose,

    /// <summary>The log could not take it, or has not given it back within the wait: the reason says which.</summary>
    Unavailable,
}

/// <summary>One entry's fate: its outcome, its sequence in the log (0 if it never got one), and the reason for anything but success.</summary>
internal sealed record LiveAppend(LiveAppendOutcome Outcome, long Sequence, string? Reason);

/// <summary>
/// A timeline that belongs to a live log: the control API appends entries to it rather than to the hub,
/// so every replica applies them in the log's order, and waits until this replica has applied its own.
/// </summary>
internal interface ILiveTimeline
{
    /// <summary>Appends a validated entry and waits until this replica has read it back from the log.</summary>
    Task<LiveAppend> AppendAsync(TimelineEntry entry, CancellationToken cancellationToken);

    /// <summary>Where the log is, for messages: "the stream NAME at URL" (credentials left out).</summary>
    string Describe { get; }
}
