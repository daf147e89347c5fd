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
}

/// <summary>A change to one board row; null fields leave the row's value as it is.</summary>
internal sealed record FlightChange(string Code, string? Origin, string? Arrival, string? State);

/// <summary>
/// One validated timeline entry. <see cref="Data"/> is the exact text of the event's
/// <c>data</c> field (compact JSON, or a custom event's string as written).
/// </summary>
internal sealed record TimelineEntry(int Index, double At, EntryKind Kind, string EventName, string Data, FlightChange? Change)
{
    /// <summary>Entries that become SSE events (and so get an id); a drop does not.</summary>
    public bool IsEvent => Kind != EntryKind.Drop;
}
