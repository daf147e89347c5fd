using System.Text;
using SseFlights.Hub;
using SseFlights.Nats;
using SseFlights.Scenario;
using SseFlights.Sources;
using SseFlights.Tests.Support;
using SseFlights.Tests.Unit;

namespace SseFlights.Tests.Nats;

/// <summary>
/// The log's messages applied to a real hub, without NATS or sockets: ids are sequences, a refused
/// message is logged once with its sequence and reason, counted and becomes nothing, drops, live-only
/// frames, resets and the close do what they do in a scenario, and the outcomes a control request waits for.
/// </summary>
public class LogApplierTests
{
    private static readonly ScenarioDefinition Board = ScenarioLoader.Parse(Encoding.UTF8.GetBytes("""
        {
          "name": "Live",
          "customEvents": ["note"],
          "flights": [ { "flight": "A1", "origin": "Rome", "arrival": "10:10", "state": "" } ],
          "timeline": []
        }
        """), "live.json");

    private sealed class Counting : ILogObserver
    {
        public int Refused { get; private set; }

        public void MessageRefused() => Refused++;
    }

    private sealed record Applier(EventHub Hub, LogApplier Apply, SkippedSequences Skipped, AppliedOutcomes Outcomes, Counting Observer, LogLines Log, FakeSubscriber Client);

    private static Applier Start()
    {
        var hub = new EventHub(Board, 16, 100, NoObserver.Instance, Serilog.Core.Logger.None);
        var skipped = new SkippedSequences(100);
        var outcomes = new AppliedOutcomes(16);
        var observer = new Counting();
        var log = new LogLines();
        var client = new FakeSubscriber(1);
        hub.Join(client, null);
        return new Applier(hub, new LogApplier(hub, skipped, outcomes, observer, log.Logger), skipped, outcomes, observer, log, client);
    }

    private static LogOutcome Apply(Applier applier, long sequence, string body) =>
        applier.Apply.Apply(new LogMessageCodec(Board.CustomEvents).Decode(sequence, Encoding.UTF8.GetBytes(body)), due: 0, replay: false);

    [Test]
    public void Apply_EventsAndOtherMessages_EventsTakeTheirSequenceAsId_TheRestTakeNone()
    {
        var applier = Start();

        var outcomes = new[]
        {
            Apply(applier, 1, """{"event":"flightStateUpdate","data":{"flight":"A1","state":"landing"}}"""),
            Apply(applier, 2, """{"comment":"still here"}"""),
            Apply(applier, 3, """{"event":"note","data":"gate B12"}"""),
            Apply(applier, 4, """{"retry":1500}"""),
            Apply(applier, 5, """{"event":"flightAddition","data":{"flight":"K3","origin":"Oslo","arrival":"11:00","state":"scheduled"}}"""),
        };

        Assert.That(outcomes.Select(o => o.Kind), Is.EqualTo(new[] { LogOutcomeKind.Event, LogOutcomeKind.Applied, LogOutcomeKind.Event, LogOutcomeKind.Applied, LogOutcomeKind.Event }));
        Assert.That(applier.Client.Text, Is.EqualTo(
            "event: flightStateUpdate\ndata: {\"flight\":\"A1\",\"state\":\"landing\"}\nid: 1\n\n"
            + ": still here\n\n"
            + "event: note\ndata: gate B12\nid: 3\n\n"
            + "retry: 1500\n\n"
            + "event: flightAddition\ndata: {\"flight\":\"K3\",\"origin\":\"Oslo\",\"arrival\":\"11:00\",\"state\":\"scheduled\"}\nid: 5\n\n"));
        Assert.That((applier.Apply.Applied, applier.Hub.Progress()), Is.EqualTo((5L, (5L, false))));
    }

    [Test]
    public void Apply_RefusedMessages_EachLoggedOnceWithItsSequenceAndReason_CountedAndNoEvent()
    {
        var applier = Start();

        var malformed = Apply(applier, 1, """{"event":"flightStateUpdate","data":""");
        var unknown = Apply(applier, 2, """{"event":"flightStateUpdat","data":{"flight":"A1","state":"x"}}""");
        var notOnBoard = Apply(applier, 3, """{"event":"flightRemoval","data":{"flight":"B2"}}""");
        var fine = Apply(applier, 4, """{"event":"flightRemoval","data":{"flight":"A1"}}""");

        Assert.That(new[] { malformed.Kind, unknown.Kind, notOnBoard.Kind, fine.Kind }, Is.EqualTo(new[] { LogOutcomeKind.Refused, LogOutcomeKind.Refused, LogOutcomeKind.Refused, LogOutcomeKind.Event }));
        Assert.That(notOnBoard.Reason, Is.EqualTo("sequence 3:1:34: data.flight: flight 'B2' is not on the board at that point (on the board then: A1)"));
        Assert.That(applier.Log.Warnings, Is.EqualTo(new[]
        {
            $"Refused {malformed.Reason}",
            "Refused sequence 2:1:2: event: unknown event 'flightStateUpdat'; did you mean 'flightStateUpdate'? a custom event must be listed in \"customEvents\"",
            "Refused sequence 3:1:34: data.flight: flight 'B2' is not on the board at that point (on the board then: A1)",
        }));
        Assert.That(malformed.Reason, Does.StartWith("sequence 1:1:"));
        Assert.That(applier.Observer.Refused, Is.EqualTo(3));
        Assert.That(applier.Client.Ids, Is.EqualTo(new long[] { 4 }));
        Assert.That((applier.Skipped.Contains(3), applier.Skipped.Contains(2)), Is.EqualTo((true, false)), "only a refusal the board decided is remembered: decoding says the rest");
    }

    [Test]
    public void Apply_Drop_EndsEveryStream()
    {
        var applier = Start();

        var outcome = Apply(applier, 1, """{"action":"drop"}""");

        Assert.That((outcome.Kind, applier.Client.FinishReason), Is.EqualTo((LogOutcomeKind.Applied, (Delivery.StreamEndReason?)Delivery.StreamEndReason.Drop)));
    }

    [Test]
    public void Apply_CloseThenEventsThenAReset_EventsAfterTheCloseAreNone_TheResetReopensAsItsSequence()
    {
        var applier = Start();
        Apply(applier, 1, """{"event":"closedConnection"}""");

        var after = Apply(applier, 2, """{"event":"note","data":"late"}""");
        var reset = Apply(applier, 3, """{"action":"reset"}""");
        var again = Apply(applier, 4, """{"event":"note","data":"again"}""");

        Assert.That((after.Kind, reset.Kind, again.Kind), Is.EqualTo((LogOutcomeKind.AfterClose, LogOutcomeKind.Event, LogOutcomeKind.Event)));
        Assert.That(applier.Skipped.Contains(2), Is.True);
        Assert.That(applier.Hub.Progress(), Is.EqualTo((4L, false)));
        Assert.That(applier.Observer.Refused, Is.Zero);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Outcomes_AWaiterBeforeOrAfterItsSequenceIsApplied_GetsItsOutcome(CancellationToken cancellationToken)
    {
        var applier = Start();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        Apply(applier, 1, """{"event":"note","data":"one"}""");

        var waiting = applier.Outcomes.WaitAsync(2, TimeSpan.FromSeconds(10), time, cancellationToken);
        Apply(applier, 2, """{"event":"flightRemoval","data":{"flight":"B2"}}""");

        Assert.That((await applier.Outcomes.WaitAsync(1, TimeSpan.FromSeconds(10), time, cancellationToken))!.Kind, Is.EqualTo(LogOutcomeKind.Event));
        Assert.That((await waiting)!.Kind, Is.EqualTo(LogOutcomeKind.Refused));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Outcomes_NeverApplied_IsNullAfterTheTimeout(CancellationToken cancellationToken)
    {
        var outcomes = new AppliedOutcomes(16);
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();

        var waiting = outcomes.WaitAsync(7, TimeSpan.FromSeconds(10), time, cancellationToken);
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.That(await waiting, Is.Null);
    }

    [Test]
    public void SkippedSequences_PastItsCapacity_ForgetsTheOldestAndKnowsOnlyAfterIt()
    {
        var skipped = new SkippedSequences(2);
        skipped.BeginAfter(10);
        foreach (long sequence in new long[] { 12, 15, 19 })
        {
            skipped.Add(sequence);
        }

        Assert.That((skipped.KnownAfter, skipped.Contains(12), skipped.Contains(15), skipped.Contains(19)), Is.EqualTo((12L, false, true, true)));
    }

    [Test]
    public void SkippedSequences_WrappedManyTimes_FindsExactlyTheNewestItKeeps()
    {
        var skipped = new SkippedSequences(5);
        for (long sequence = 3; sequence <= 300; sequence += 3)
        {
            skipped.Add(sequence);
        }

        Assert.That(Enumerable.Range(0, 310).Where(n => skipped.Contains(n)), Is.EqualTo(new[] { 288, 291, 294, 297, 300 }));
        Assert.That(skipped.KnownAfter, Is.EqualTo(285));
    }
}
