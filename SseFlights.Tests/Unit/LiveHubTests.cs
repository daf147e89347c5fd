using System.Text;
using SseFlights.Delivery;
using SseFlights.Hub;
using SseFlights.Scenario;

namespace SseFlights.Tests.Unit;

/// <summary>
/// The hub fed by a live log, without sockets: ids are the log's sequences (with gaps), a reset
/// reopens the board, a replica starts from a stored board, older events fetched from the log meet
/// the history exactly, and a replica catching up refuses streams.
/// </summary>
public class LiveHubTests
{
    private static readonly ScenarioDefinition Board = ScenarioLoader.Parse(Encoding.UTF8.GetBytes("""
        {
          "name": "Live",
          "flights": [ { "flight": "A1", "origin": "Rome", "arrival": "10:10", "state": "" } ],
          "timeline": []
        }
        """), "live.json");

    private static TimelineEntry State(string state) =>
        new(0, 0, EntryKind.StateUpdate, "flightStateUpdate", $$"""{"flight":"A1","state":"{{state}}"}""", new FlightChange("A1", null, null, state));

    private static readonly TimelineEntry Close = new(0, 0, EntryKind.Close, "closedConnection", "", null);

    private static EventHub Hub(int history = 16) => new(Board, history, 100, NoObserver.Instance, Serilog.Core.Logger.None);

    private static string Text(IEnumerable<Frame> frames) => string.Concat(frames.Select(f => Encoding.UTF8.GetString(f.Bytes)));

    [Test]
    public void PublishIf_WithTheLogsSequence_IsThatId_AndAResumeFromASkippedSequenceGetsTheEventsAfterIt()
    {
        var hub = Hub();
        hub.PublishIf(State("landing"), null, id: 3);
        hub.PublishIf(State("landed"), null, id: 7);

        var plan = hub.Join(new FakeSubscriber(1), "5");

        Assert.That(hub.Progress(), Is.EqualTo((7L, false)));
        Assert.That((plan.Kind, Text(plan.Frames)), Is.EqualTo((JoinKind.Resume, "event: flightStateUpdate\ndata: {\"flight\":\"A1\",\"state\":\"landed\"}\nid: 7\n\n")));
    }

    [Test]
    public void PublishIf_AnIdNotAboveTheNewest_Throws()
    {
        var hub = Hub();
        hub.PublishIf(State("landing"), null, id: 3);

        Assert.That(() => hub.PublishIf(State("landed"), null, id: 3), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Reset_AfterTheClose_ReopensTheBoardWithTheScenariosFlightsAsThatIdsSnapshot()
    {
        var hub = Hub();
        var client = new FakeSubscriber(1);
        hub.Join(client, null);
        hub.PublishIf(State("landed"), null, id: 2);
        hub.PublishIf(Close, null, id: 3);
        Assert.That(hub.Join(new FakeSubscriber(2), null).Kind, Is.EqualTo(JoinKind.NoContent));

        var snapshot = hub.Reset(5);

        Assert.That(Text([snapshot]), Is.EqualTo("event: snapshot\ndata: {\"flights\":[{\"flight\":\"A1\",\"origin\":\"Rome\",\"arrival\":\"10:10\",\"state\":\"\"}]}\nid: 5\n\n"));
        Assert.That(hub.Progress(), Is.EqualTo((5L, false)));
        var comeBack = hub.Join(new FakeSubscriber(3), "3");
        Assert.That((comeBack.Kind, comeBack.Frames.Select(f => f.Id)), Is.EqualTo((JoinKind.Resume, new long[] { 5 })), "back with the close's id: what the reset began");
    }

    [Test]
    public void Join_FromBeforeACloseThatAResetFollowed_GetsUpToTheCloseOnly()
    {
        var hub = Hub();
        hub.PublishIf(State("landed"), null, id: 2);
        hub.PublishIf(Close, null, id: 3);
        hub.Reset(4);
        hub.PublishIf(State("boarding"), null, id: 6);

        var plan = hub.Join(new FakeSubscriber(1), "2");

        Assert.That((plan.Kind, plan.Frames.Select(f => f.Id), plan.EndsStream, hub.ClientCount), Is.EqualTo((JoinKind.Resume, new long[] { 3 }, true, 0)));
    }

    [Test]
    public void Restore_AStoredBoard_IsTheSnapshotAtItsId_AndOlderIdsAreNotInTheHistory()
    {
        var hub = Hub();
        hub.Restore([new Flight("B2", "Oslo", "11:00", "landed")], 40);
        hub.PublishIf(State("x"), onBoard => onBoard.Contains("A1"), id: 41);
        hub.PublishIf(new TimelineEntry(0, 0, EntryKind.StateUpdate, "flightStateUpdate", """{"flight":"B2","state":"gone"}""", new FlightChange("B2", null, null, "gone")), null, id: 44);

        var fresh = hub.Join(new FakeSubscriber(1), null);
        var resumed = hub.Join(new FakeSubscriber(2), "40");
        var older = hub.Join(new FakeSubscriber(3), "39");

        Assert.That(Text(fresh.Frames), Is.EqualTo("event: snapshot\ndata: {\"flights\":[{\"flight\":\"B2\",\"origin\":\"Oslo\",\"arrival\":\"11:00\",\"state\":\"gone\"}]}\nid: 44\n\n"), "A1 is not on the stored board: 41 was refused");
        Assert.That((resumed.Kind, resumed.Frames.Select(f => f.Id)), Is.EqualTo((JoinKind.Resume, new long[] { 44 })));
        Assert.That((older.Kind, older.HistoryTooShort), Is.EqualTo((JoinKind.Snapshot, true)));
    }

    [Test]
    public void Join_WithOlderEventsThatReachTheHistory_ResumesWithThemThenTheHistory_AndLiveEventsFollowWithNoGap()
    {
        var hub = Hub(history: 2);
        var sent = new List<Frame>();
        foreach (long id in new long[] { 2, 4, 5, 9 })
        {
            sent.Add(hub.PublishIf(State($"s{id}"), null, id: id)!);
        }

        Assert.That(hub.HistoryFloor(), Is.EqualTo(4));
        var client = new FakeSubscriber(1);
        var plan = hub.Join(client, "1", new OlderEvents(1, 4, [sent[0], sent[1]]));
        hub.PublishIf(State("s11"), null, id: 11);

        Assert.That(plan.Kind, Is.EqualTo(JoinKind.Resume));
        Assert.That(plan.Frames.Concat(client.Frames).Select(f => f.Id), Is.EqualTo(new long[] { 2, 4, 5, 9, 11 }));
    }

    [Test]
    public void Join_WithOlderEventsThatNoLongerReachTheHistory_IsASnapshot()
    {
        var hub = Hub(history: 1);
        var first = hub.PublishIf(State("a"), null, id: 2)!;
        hub.PublishIf(State("b"), null, id: 4);

        // Fetched while the floor was 2; another event moved it to 4 before the join.
        hub.PublishIf(State("c"), null, id: 6);
        var plan = hub.Join(new FakeSubscriber(1), "1", new OlderEvents(1, 2, [first]));

        Assert.That((plan.Kind, plan.Frames.Single().Id), Is.EqualTo((JoinKind.Snapshot, 6L)));
    }

    [Test]
    public void Join_WhileUnavailable_IsRefusedWithTheReason_EvenAfterTheClose_ThenServedOnceAvailable()
    {
        var hub = Hub();
        hub.PublishIf(Close, null, id: 1);
        hub.Unavailable("catching up with the log");

        var refused = hub.Join(new FakeSubscriber(1), null);
        hub.Unavailable(null);

        Assert.That((refused.Kind, refused.Reason, hub.ClientCount), Is.EqualTo((JoinKind.Refused, "catching up with the log", 0)));
        Assert.That(hub.Join(new FakeSubscriber(2), null).Kind, Is.EqualTo(JoinKind.NoContent));
    }
}
