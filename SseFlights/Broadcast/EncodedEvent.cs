using SseFlights.Scenario;

namespace SseFlights.Broadcast;

/// <summary>What a frame is to the stream: an event counts, has an id and is kept for resend; the rest is live-only.</summary>
internal enum FrameKind
{
    Event,

    /// <summary>A comment line (the heartbeat, or a scenario's comment entry): no id, no event, ignored by parsers.</summary>
    Comment,

    /// <summary>A scenario's <c>retry:</c> frame: changes the client's reconnection time, nothing else.</summary>
    Retry,

    /// <summary>A scenario's raw characters, sent as written: the server cannot know what a client makes of them.</summary>
    Raw,
}

/// <summary>
/// One frame, encoded once to UTF-8; the same instance (and bytes) goes to every client.
/// <paramref name="Id"/> is 0 for frames that are not events (see <see cref="Kind"/>). <paramref name="Due"/> is the
/// TimeProvider timestamp the scenario scheduled it for (latency is measured from it), or 0 for a
/// frame not on the timeline (a joining client's snapshot, a heartbeat).
/// </summary>
internal sealed record EncodedEvent(long Id, string Name, byte[] Bytes, bool EndsStream = false, long Due = 0)
{
    public FrameKind Kind { get; init; } = FrameKind.Event;

    /// <summary>Set when the frame is written in pieces with pauses between them, wherever it is written (live or resent).</summary>
    public FrameSplit? Split { get; init; }

    /// <summary>A comment frame: live-only, with no id and no name.</summary>
    public static EncodedEvent Comment(byte[] bytes) => new(0, "", bytes) { Kind = FrameKind.Comment };
}
