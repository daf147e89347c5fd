using SseFlights.Scenario;

namespace SseFlights.Sources;

/// <summary>
/// Where the scenario stands at a given scenario second, by arithmetic alone: which cycle, and how
/// many ids were issued before it. Ids per cycle are the events (drops get none), plus one for the
/// snapshot that starts every cycle after the first (<see cref="EventHub.StartCycle"/>). A replica
/// whose epoch is days old uses this to start a few cycles back instead of at the beginning.
/// </summary>
internal sealed class TimelinePosition(ScenarioDefinition scenario)
{
    private readonly long _eventsPerCycle = scenario.EventCount;

    /// <summary>The cycle running at <paramref name="scenarioSeconds"/> (0 before the epoch and for a scenario played once).</summary>
    public long CycleAt(double scenarioSeconds) =>
        scenario.Repeat && scenarioSeconds > 0 ? (long)Math.Floor(scenarioSeconds / scenario.Cycle!.Value) : 0;

    /// <summary>Ids issued before cycle <paramref name="cycle"/> began (its own snapshot not counted).</summary>
    public long IdsBeforeCycle(long cycle) => cycle == 0 ? 0 : _eventsPerCycle + (cycle - 1) * (_eventsPerCycle + 1);

    /// <summary>
    /// The cycle to replay from so that the resend history ends up full (<paramref name="historySize"/>
    /// frames) exactly as on a replica that has run since the epoch: every cycle from there on is replayed.
    /// One cycle more than strictly needed, so a boundary instant never leaves the history a frame short.
    /// </summary>
    public long FirstCycleToReplay(double scenarioSeconds, int historySize)
    {
        long cyclesForHistory = (historySize + _eventsPerCycle) / (_eventsPerCycle + 1);
        return Math.Max(0, CycleAt(scenarioSeconds) - cyclesForHistory - 1);
    }

    /// <summary>The newest id at <paramref name="scenarioSeconds"/>: every id whose moment has come.</summary>
    public long IdAt(double scenarioSeconds)
    {
        if (scenarioSeconds < 0)
        {
            return 0;
        }

        long cycle = CycleAt(scenarioSeconds);
        double intoCycle = scenarioSeconds - cycle * (scenario.Cycle ?? 0);
        long id = IdsBeforeCycle(cycle) + (cycle > 0 ? 1 : 0);
        foreach (var entry in scenario.Timeline)
        {
            if (entry.At > intoCycle)
            {
                break;
            }

            id += entry.IsEvent ? 1 : 0;
        }

        return id;
    }
}
