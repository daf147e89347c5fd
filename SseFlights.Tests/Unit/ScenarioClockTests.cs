using System.Text;
using SseFlights.Scenario;
using SseFlights.Sources;

namespace SseFlights.Tests.Unit;

/// <summary>The scenario's time as pure arithmetic: due times, steps and cycles, pauses, restarts and epochs.</summary>
public class ScenarioClockTests
{
    private const long Frequency = 1_000_000;

    private static ScenarioDefinition Scenario(bool repeat) => ScenarioLoader.Parse(Encoding.UTF8.GetBytes($$"""
        { "name": "C", {{(repeat ? "\"repeat\": true, \"cycle\": 10," : "")}}
          "flights": [ { "flight": "A1", "origin": "Rome", "arrival": "10:10", "state": "" } ],
          "timeline": [
            { "at": 1, "event": "flightStateUpdate", "data": { "flight": "A1", "state": "landing" } },
            { "at": 2.5, "action": "drop" },
            { "at": 4, "event": "flightStateUpdate", "data": { "flight": "A1", "state": "landed" } } ] }
        """), "c.json");

    private static long Seconds(double seconds) => (long)(seconds * Frequency);

    [Test]
    public void Steps_OfAScenarioPlayedOnce_AreDueAtStartPlusAtOverSpeed_ThenEnd()
    {
        var clock = new ScenarioClock(Scenario(repeat: false), speed: 2, start: Seconds(100), Frequency);
        var due = new List<(TimelineStep Step, long Due)>();
        while (!clock.Ended)
        {
            due.Add((clock.Next, clock.DueAt(clock.SecondsOf(clock.Next))));
            clock.Advance();
        }

        Assert.That(due, Is.EqualTo(new[] { (new TimelineStep(0, 0), Seconds(100.5)), (new TimelineStep(0, 1), Seconds(101.25)), (new TimelineStep(0, 2), Seconds(102)) }));
        Assert.That(clock.TicksUntilNext(Seconds(200)), Is.Null, "nothing is waited for once the timeline has ended");
    }

    [Test]
    public void Steps_OfARepeatingScenario_StartEachNewCycleWithItsStart_AndNeverDrift()
    {
        var clock = new ScenarioClock(Scenario(repeat: true), speed: 1, start: 0, Frequency);
        for (int i = 0; i < 3 + 1000 * 4; i++)
        {
            clock.Advance();
        }

        // 3 steps in cycle 0, then 4 (start + 3) per cycle: 1,000 cycles later the start of cycle 1,001.
        Assert.That(clock.Next, Is.EqualTo(new TimelineStep(1001, TimelineStep.CycleStartIndex)));
        Assert.That(clock.EntryOf(clock.Next), Is.Null);
        Assert.That(clock.DueAt(clock.SecondsOf(clock.Next)), Is.EqualTo(Seconds(10_010)), "cycle × length, not summed steps");
        clock.Advance();
        Assert.That(clock.DueAt(clock.SecondsOf(clock.Next)), Is.EqualTo(Seconds(10_011)));
        Assert.That(clock.Ended, Is.False);
    }

    [Test]
    public void Pause_StandsStill_AndResume_ShiftsEveryLaterStepByThePause()
    {
        var clock = new ScenarioClock(Scenario(repeat: false), speed: 1, start: 0, Frequency);

        Assert.That(clock.Pause(Seconds(0.5)), Is.True);
        Assert.That(clock.Pause(Seconds(0.7)), Is.False, "already paused");
        Assert.That((clock.TicksUntilNext(Seconds(5)), clock.SecondsAt(Seconds(5))), Is.EqualTo(((long?)null, 0.5)), "paused: nothing due, time stands");
        Assert.That(clock.Resume(Seconds(3.5)), Is.EqualTo(Seconds(3)));
        Assert.That(clock.Resume(Seconds(4)), Is.Null, "not paused");

        Assert.That(clock.TicksUntilNext(Seconds(3.5)), Is.EqualTo(Seconds(0.5)), "the step due at 1 s is now due at 4 s");
        Assert.That(clock.SecondsAt(Seconds(4)), Is.EqualTo(1));
    }

    [Test]
    public void Restart_PlaysFromTheFirstEntry_WithSecondZeroNow_Unpaused()
    {
        var clock = new ScenarioClock(Scenario(repeat: false), speed: 1, start: 0, Frequency);
        clock.Advance();
        clock.Advance();
        clock.Pause(Seconds(3));

        clock.Restart(Seconds(50));

        Assert.That((clock.Next, clock.Paused, clock.TicksUntilNext(Seconds(50))), Is.EqualTo((new TimelineStep(0, 0), false, (long?)Seconds(1))));
    }

    [Test]
    public void SkipTo_ACycleOfAnEpochLongPast_StartsWithThatCyclesStart()
    {
        long epochTicks = ScenarioClock.EpochTicks(DateTimeOffset.Parse("2026-01-01T00:00:00Z"), DateTimeOffset.Parse("2026-01-01T01:00:05Z"), Frequency);
        var clock = new ScenarioClock(Scenario(repeat: true), speed: 1, start: Seconds(1000) - epochTicks, Frequency);

        clock.SkipTo(359);

        Assert.That(epochTicks, Is.EqualTo(Seconds(3605)));
        Assert.That(clock.SecondsAt(Seconds(1000)), Is.EqualTo(3605));
        Assert.That(clock.Next, Is.EqualTo(new TimelineStep(359, TimelineStep.CycleStartIndex)));
        Assert.That(clock.TicksUntilNext(Seconds(1000)), Is.EqualTo(-Seconds(15)), "cycle 359 began 15 s ago: due at once, a replay");
    }

    [Test]
    public void RepeatingScenarioWithAnEmptyTimeline_HasOnlyCycleStarts()
    {
        var empty = ScenarioLoader.Parse(Encoding.UTF8.GetBytes("""
            { "name": "E", "repeat": true, "cycle": 5, "flights": [], "timeline": [] }
            """), "e.json");
        var clock = new ScenarioClock(empty, speed: 1, start: 0, Frequency);
        var steps = new List<(TimelineStep, long)>();
        for (int i = 0; i < 3; i++)
        {
            steps.Add((clock.Next, clock.DueAt(clock.SecondsOf(clock.Next))));
            clock.Advance();
        }

        Assert.That(steps, Is.EqualTo(new[] { (new TimelineStep(1, -1), Seconds(5)), (new TimelineStep(2, -1), Seconds(10)), (new TimelineStep(3, -1), Seconds(15)) }));
    }
}
