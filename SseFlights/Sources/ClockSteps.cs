using SseFlights.Hub;

namespace SseFlights.Sources;

/// <summary>Moves a standing clock by hand (step mode): the steps a target reaches, fired at once. Called under the player's lock.</summary>
internal static class ClockSteps
{
    /// <summary>
    /// Fires every step <paramref name="target"/> reaches through <paramref name="steps"/>, as the running clock
    /// would, and leaves <paramref name="clock"/> standing at the target second, or at the last step fired.
    /// Refused while the clock runs, and for a target second before where it stands.
    /// </summary>
    public static AdvanceResult Advance(ScenarioClock clock, StepPublisher steps, EventHub hub, AdvanceTarget target, long now)
    {
        double standsAt = clock.SecondsAt(now);
        if (!clock.Paused || target.ToSeconds < standsAt)
        {
            return new AdvanceResult([], clock.Paused ? AdvanceRefusal.Backwards : AdvanceRefusal.Running, standsAt);
        }

        var ids = new List<long>();
        for (int played = 0; !clock.Ended && !hub.Progress().Closed;)
        {
            var step = clock.Next;
            double at = clock.SecondsOf(step);
            if (target.ToSeconds is { } to ? at > to : played >= target.Entries)
            {
                break;
            }

            clock.Advance();
            if (steps.Fire(step.Cycle, clock.EntryOf(step), now, replay: false) is { } frame)
            {
                ids.Add(frame.Id);
            }

            played += step.IsCycleStart ? 0 : 1;
            standsAt = Math.Max(standsAt, at);
        }

        standsAt = target.ToSeconds ?? standsAt;
        clock.StandAt(standsAt, now);
        return new AdvanceResult(ids, null, standsAt);
    }
}
