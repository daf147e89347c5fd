using SseFlights.Scenario;

namespace SseFlights.Sources;

/// <summary>
/// The scenario's time, by arithmetic alone: when each step of the timeline is due, which step comes
/// next, and how a pause, a restart or an epoch in the past moves them. Step n fires at
/// <c>start + (cycle × cycleLength + at) / speed</c>, computed from the start every time rather than by
/// summing delays, so a long run does not drift. Timestamps are a <see cref="TimeProvider"/>'s; the
/// clock never reads one itself, and is not thread-safe: its one player guards it.
/// </summary>
internal sealed class ScenarioClock
{
    private readonly ScenarioDefinition _scenario;
    private readonly double _speed;
    private readonly double _frequency;
    private long _start;
    private long? _pausedAt;

    /// <param name="start">The timestamp of scenario second 0 (earlier than now for an epoch in the past, later for one to come).</param>
    public ScenarioClock(ScenarioDefinition scenario, double speed, long start, long frequency)
    {
        _scenario = scenario;
        _speed = speed;
        _start = start;
        _frequency = frequency;
        Position = new TimelinePosition(scenario);
        Next = Normalized(new TimelineStep(0, 0));
    }

    /// <summary>Ids and cycles at a scenario second, for replicas and the skew.</summary>
    public TimelinePosition Position { get; }

    /// <summary>The step to fire next; past the last entry of a scenario played once, <see cref="Ended"/>.</summary>
    public TimelineStep Next { get; private set; }

    public bool Paused => _pausedAt is not null;

    /// <summary>True once every entry of a scenario played once has fired.</summary>
    public bool Ended => !_scenario.Repeat && Next.Index >= _scenario.Timeline.Count;

    /// <summary>The entry <paramref name="step"/> fires, or null for a cycle's start.</summary>
    public TimelineEntry? EntryOf(TimelineStep step) => step.IsCycleStart ? null : _scenario.Timeline[step.Index];

    /// <summary>The scenario second <paramref name="step"/> is due at.</summary>
    public double SecondsOf(TimelineStep step) =>
        step.Cycle * (_scenario.Cycle ?? 0) + (step.IsCycleStart ? 0 : _scenario.Timeline[step.Index].At);

    /// <summary>The timestamp scenario second <paramref name="seconds"/> falls on.</summary>
    public long DueAt(double seconds) => _start + (long)(seconds / _speed * _frequency);

    /// <summary>Scenario seconds at timestamp <paramref name="now"/> (standing still while paused; negative before an epoch to come).</summary>
    public double SecondsAt(long now) => ((_pausedAt ?? now) - _start) / _frequency * _speed;

    /// <summary>
    /// How long until <see cref="Next"/> is due, in timestamp ticks (zero or less: due now); null when
    /// nothing is waited for: paused, or the timeline has ended.
    /// </summary>
    public long? TicksUntilNext(long now) => Paused || Ended ? null : DueAt(SecondsOf(Next)) - now;

    /// <summary>Moves on to the step after <see cref="Next"/>: a repeating scenario's next cycle begins with its start.</summary>
    public void Advance() => Next = Normalized(Next with { Index = Next.Index + 1 });

    /// <summary>Starts at cycle <paramref name="cycle"/>'s first entry: an epoch long past replays only the cycles it needs.</summary>
    public void SkipTo(long cycle) => Next = Normalized(new TimelineStep(cycle, cycle == 0 ? 0 : TimelineStep.CycleStartIndex));

    /// <summary>Past a repeating timeline's last entry (or in an empty one) comes the next cycle's start.</summary>
    private TimelineStep Normalized(TimelineStep step) =>
        step.IsCycleStart || step.Index < _scenario.Timeline.Count || !_scenario.Repeat
            ? step
            : new TimelineStep(step.Cycle + 1, TimelineStep.CycleStartIndex);

    /// <summary>Stands still at <paramref name="now"/>; false if already paused.</summary>
    public bool Pause(long now)
    {
        if (_pausedAt is not null)
        {
            return false;
        }

        _pausedAt = now;
        return true;
    }

    /// <summary>Goes on at <paramref name="now"/>, every later step shifted by the pause; the pause's length in ticks, or null if it was not paused.</summary>
    public long? Resume(long now)
    {
        if (_pausedAt is not { } pausedAt)
        {
            return null;
        }

        _start += now - pausedAt;
        _pausedAt = null;
        return now - pausedAt;
    }

    /// <summary>Stands still at scenario second <paramref name="seconds"/> from <paramref name="now"/> on (step mode's clock, moved by each advance).</summary>
    public void StandAt(double seconds, long now)
    {
        _start = now - (long)(seconds / _speed * _frequency);
        _pausedAt = now;
    }

    /// <summary>The timeline from its first entry, with scenario second 0 at <paramref name="now"/>, unpaused.</summary>
    public void Restart(long now)
    {
        _start = now;
        _pausedAt = null;
        Next = Normalized(new TimelineStep(0, 0));
    }

    /// <summary>How far an epoch lies before <paramref name="now"/> in timestamp ticks (negative for one to come), from wall-clock times.</summary>
    public static long EpochTicks(DateTimeOffset epoch, DateTimeOffset wallNow, long frequency) =>
        (long)((wallNow - epoch).TotalSeconds * frequency);
}
