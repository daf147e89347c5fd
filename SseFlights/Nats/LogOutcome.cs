namespace SseFlights.Nats;

/// <summary>What applying one message of the log did.</summary>
internal enum LogOutcomeKind
{
    /// <summary>An event (or a reset's snapshot), with the sequence as its id.</summary>
    Event,

    /// <summary>Applied, and no event: a drop or a live-only frame.</summary>
    Applied,

    /// <summary>Refused: not an entry, or one that does not apply to the board at that point. Logged and counted.</summary>
    Refused,

    /// <summary>An event after the board's close, which nothing follows until a reset: left out.</summary>
    AfterClose,
}

/// <summary>The outcome of the message at <paramref name="Sequence"/>; <paramref name="Reason"/> says why it was refused.</summary>
internal sealed record LogOutcome(long Sequence, LogOutcomeKind Kind, string? Reason = null);
