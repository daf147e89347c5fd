namespace SseFlights.Sources;

/// <summary>
/// One step of the timeline: entry <paramref name="Index"/> of cycle <paramref name="Cycle"/>, or,
/// with <see cref="CycleStartIndex"/>, the start of a repeat cycle (the board resets, a snapshot goes out).
/// </summary>
internal readonly record struct TimelineStep(long Cycle, int Index)
{
    public const int CycleStartIndex = -1;

    public bool IsCycleStart => Index == CycleStartIndex;
}
