namespace SseFlights.Sources;

/// <summary>
/// How far a standing clock is moved at once: the next <paramref name="Entries"/> timeline entries, or every
/// step due up to scenario second <paramref name="ToSeconds"/> (a repeat cycle's start is a step, not an entry).
/// </summary>
internal sealed record AdvanceTarget(int? Entries, double? ToSeconds);

/// <summary>What an advance did: the ids it published (events and cycle snapshots), or why it could not.</summary>
internal sealed record AdvanceResult(IReadOnlyList<long> Ids, AdvanceRefusal? Refused = null, double StandsAt = 0);

/// <summary>Why the clock would not advance.</summary>
internal enum AdvanceRefusal
{
    /// <summary>The clock is running: an advance needs it standing still (<c>--step</c>, or paused).</summary>
    Running,

    /// <summary>The target lies before where the clock stands: it only goes forward.</summary>
    Backwards,
}
