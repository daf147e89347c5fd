namespace SseFlights.Scenario;

/// <summary>What a timeline entry does when its time comes.</summary>
internal enum EntryKind
{
    StateUpdate,
    Addition,
    Removal,
    Close,
    Custom,
    Drop,

    /// <summary>A comment frame (<c>: text</c>): live-only.</summary>
    Comment,

    /// <summary>A <c>retry:</c> frame: live-only.</summary>
    Retry,

    /// <summary>Characters sent exactly as written, for streams no formatter would write: live-only.</summary>
    Raw,
}

/// <summary>A change to one board row; null fields leave the row's value as it is.</summary>
internal sealed record FlightChange(string Code, string? Origin, string? Arrival, string? State);

/// <summary>
/// One validated timeline entry. <see cref="Data"/> is the exact text of the event's
/// <c>data</c> field (compact JSON, or a custom event's string as written); for a comment or raw
/// entry it is the text, for a retry entry the milliseconds in digits.
/// </summary>
internal sealed record TimelineEntry(int Index, double At, EntryKind Kind, string EventName, string Data, FlightChange? Change)
{
    /// <summary>How the frame is written, when it is written in pieces.</summary>
    public FrameSplit? Split { get; init; }

    /// <summary>Entries that become SSE events (and so get an id and a place in the history).</summary>
    public bool IsEvent => Kind is not (EntryKind.Drop or EntryKind.Comment or EntryKind.Retry or EntryKind.Raw);

    /// <summary>Frames sent only to the streams open at the time, like heartbeats: no id, not resent, no board change.</summary>
    public bool IsLiveOnly => Kind is EntryKind.Comment or EntryKind.Retry or EntryKind.Raw;

    /// <summary>A drop made now, not read from a timeline (the control API's).</summary>
    public static readonly TimelineEntry DropNow = new(0, 0, EntryKind.Drop, "", "", null);

    /// <summary>The close made now, not read from a timeline (the control API's).</summary>
    public static readonly TimelineEntry CloseNow = new(0, 0, EntryKind.Close, EventNames.Close, "", null);
}
