using System.Text;
using Microsoft.Extensions.Time.Testing;
using SseFlights.Hub;
using SseFlights.Scenario;
using SseFlights.Sources;

namespace SseFlights.Tests.Unit;

/// <summary>
/// Step mode on a fake clock: a clock that stands still publishes nothing however long it waits, and an
/// advance plays the entries it reaches at once, through the same publisher, answering the ids published.
/// </summary>
public class ClockStepsTests
{
    private static readonly ScenarioDefinition Once = Parse("""
        "customEvents": ["note"], "flights": [],
        "timeline": [ { "at": 1, "event": "note", "data": "a" }, { "at": 2, "comment": "c" }, { "at": 3, "event": "note", "data": "b" }, { "at": 4, "action": "drop" }, { "at": 5, "event": "closedConnection" } ]
        """);

    private static ScenarioDefinition Parse(string members) => ScenarioLoader.Parse(Encoding.UTF8.GetBytes($$"""{ "name": "S", {{members}} }"""), "s.json");

    private static (ScenarioSource Source, EventHub Hub, FakeTimeProvider Time) Standing(ScenarioDefinition scenario)
    {
        var time = new FakeTimeProvider();
        var hub = new EventHub(scenario, 100, 10, NoObserver.Instance, Serilog.Core.Logger.None);
        return (new ScenarioSource(scenario, hub, 1, time, Serilog.Core.Logger.None, waitForRestart: true, standStill: true), hub, time);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task StandStill_AnHourOfTime_PublishesNothing(CancellationToken cancellationToken)
    {
        var (source, hub, time) = Standing(Once);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var run = source.RunAsync(stop.Token);

        time.Advance(TimeSpan.FromHours(1));
        await Task.Yield();

        Assert.That((hub.Progress().LastEventId, source.State().Paused, source.State().ScenarioSeconds), Is.EqualTo((0L, true, 0.0)));
        await stop.CancelAsync();
        Assert.That(async () => await run, Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void Advance_Entries_PlaysThatManyEntries_AnsweringTheIdsOfTheEvents_AndStandsAtTheLast()
    {
        var (source, hub, _) = Standing(Once);

        var first = source.Advance(new AdvanceTarget(2, null));
        var next = source.Advance(new AdvanceTarget(1, null));

        Assert.That((first.Ids, first.StandsAt), Is.EqualTo((new long[] { 1 }, 2.0)), "the note (id 1), then the comment (no id)");
        Assert.That((next.Ids, next.StandsAt, hub.Progress().LastEventId), Is.EqualTo((new long[] { 2 }, 3.0, 2L)));
    }

    [Test]
    public void Advance_To_PlaysEveryEntryUpToThatSecond_AndStandsThere()
    {
        var (source, hub, _) = Standing(Once);

        var result = source.Advance(new AdvanceTarget(null, 4.5));

        Assert.That((result.Ids, result.StandsAt, source.State().ScenarioSeconds, hub.Progress()), Is.EqualTo((new long[] { 1, 2 }, 4.5, 4.5, (2L, false))));
        Assert.That(source.Advance(new AdvanceTarget(null, 10)).Ids, Is.EqualTo(new long[] { 3 }), "the close");
        Assert.That(source.Advance(new AdvanceTarget(5, null)).Ids, Is.Empty, "nothing follows the close");
    }

    [Test]
    public void Advance_ARepeatingScenarioPastItsCycle_PublishesTheNextCyclesSnapshotToo()
    {
        var (source, _, _) = Standing(Parse("""
            "repeat": true, "cycle": 2, "customEvents": ["note"], "flights": [], "timeline": [ { "at": 1, "event": "note", "data": "a" } ]
            """));

        Assert.That(source.Advance(new AdvanceTarget(null, 5)).Ids, Is.EqualTo(new long[] { 1, 2, 3, 4, 5 }), "note, snapshot, note, snapshot, note");
    }

    [Test]
    public void Advance_ClockRunning_IsRefused_AndBackwardsIsRefused()
    {
        var (source, _, _) = Standing(Once);
        source.Advance(new AdvanceTarget(null, 2));

        Assert.That(source.Advance(new AdvanceTarget(null, 1)).Refused, Is.EqualTo(AdvanceRefusal.Backwards));
        source.Resume();
        Assert.That(source.Advance(new AdvanceTarget(1, null)).Refused, Is.EqualTo(AdvanceRefusal.Running));
    }
}
