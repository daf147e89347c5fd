using SseFlights.Scenario;

namespace SseFlights.Delivery;

/// <summary>What a frame is on the stream: the three kinds with an id are events and are kept for resend; the rest are live-only.</summary>
internal enum FrameKind
{
    /// <summary>A timeline or injected event: an id, kept in the history, counted as a delivery.</summary>
    Event,

    /// <summary>The whole board as an event (<c>snapshot</c>): a joining client's first frame, or a repeat cycle's start.</summary>
    Snapshot,

    /// <summary>The board's close (<c>closedConnection</c>): the last event of every stream, which then ends.</summary>
    Close,

    /// <summary>A comment line (a heartbeat, or a scenario's comment entry): no id, ignored by parsers.</summary>
    Comment,

    /// <summary>A scenario's <c>retry:</c> frame: changes the client's reconnection time, nothing else.</summary>
    Retry,

    /// <summary>A scenario's raw characters, sent as written: the server cannot know what a client makes of them.</summary>
    Raw,
}

/// <summary>
/// One frame, encoded once to UTF-8; the same instance (and bytes) goes to every client.
/// <see cref="Due"/> is the TimeProvider timestamp the timeline scheduled it for (latency is measured
/// from it), or 0 for a frame not on the timeline (a joining client's snapshot, a heartbeat).
/// </summary>
internal sealed record Frame(FrameKind Kind, byte[] Bytes)
{
    /// <summary>The frame's id: set for an event, a snapshot and the close; 0 for the live-only kinds.</summary>
    public long Id { get; init; }

    /// <summary>The SSE event type of a frame with an id (the entry's name, <c>snapshot</c>, <c>closedConnection</c>); null for the rest.</summary>
    public string? EventType { get; init; }

    public long Due { get; init; }

    /// <summary>Set when the frame is written in pieces with pauses between them, wherever it is written (live or resent).</summary>
    public FrameSplit? Split { get; init; }

    /// <summary>Events, snapshots and the close: they have an id, count as deliveries and are resent.</summary>
    public bool HasId => Kind is FrameKind.Event or FrameKind.Snapshot or FrameKind.Close;

    /// <summary>The close: the stream ends once it is written.</summary>
    public bool EndsStream => Kind == FrameKind.Close;

    /// <summary>A frame with an id of kind <paramref name="kind"/> (event, snapshot or close).</summary>
    public static Frame WithId(FrameKind kind, long id, string eventType, byte[] bytes) => new(kind, bytes) { Id = id, EventType = eventType };
}
