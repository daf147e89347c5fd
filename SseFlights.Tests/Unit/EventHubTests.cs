using System.Text;
using SseFlights.Delivery;
using SseFlights.Hub;
using SseFlights.Scenario;

namespace SseFlights.Tests.Unit;

/// <summary>The hub without sockets: every join outcome, the resend/live seam, close, drop and cycle reset.</summary>
public class EventHubTests
{
    private const string Board0 = """{"flights":[{"flight":"I768","origin":"Rome","arrival":"10:10","state":""},{"flight":"G119","origin":"Tokyo","arrival":"10:35","state":""}]}""";

    private static readonly ScenarioDefinition Story = ScenarioLoader.Parse(Encoding.UTF8.GetBytes("""
        {
          "name": "Story",
          "flights": [
            { "flight": "I768", "origin": "Rome", "arrival": "10:10", "state": "" },
            { "flight": "G119", "origin": "Tokyo", "arrival": "10:35", "state": "" }
          ],
          "timeline": [
            { "at": 1, "event": "flightStateUpdate", "data": { "flight": "I768", "state": "landing" } },
            { "at": 2, "event": "flightStateUpdate", "data": { "flight": "I768", "state": "landed" } },
            { "at": 3, "event": "flightRemoval", "data": { "flight": "I768" } },
            { "at": 4, "event": "closedConnection" }
          ]
        }
        """), "story.json");

    private static EventHub Hub(int history = 16, int maxClients = 100) => new(Story, history, maxClients, NoObserver.Instance, Serilog.Core.Logger.None);

    private static void Play(EventHub hub, int count)
    {
        foreach (var entry in Story.Timeline.Take(count))
        {
            hub.Publish(entry);
        }
    }

    [Test]
    public void Join_NoId_IsASnapshotOfTheBoardWithIdZero()
    {
        var plan = Hub().Join(new FakeSubscriber(1), null);

        Assert.That((plan.Kind, plan.Frames.Count, plan.EndsStream), Is.EqualTo((JoinKind.Snapshot, 1, false)));
        Assert.That(Encoding.UTF8.GetString(plan.Frames[0].Bytes), Is.EqualTo($"event: snapshot\ndata: {Board0}\nid: 0\n\n"));
    }

    [Test]
    public void Join_AfterEvents_SnapshotCarriesTheBoardAsOfTheNewestId()
    {
        var hub = Hub();
        Play(hub, 3);

        var plan = hub.Join(new FakeSubscriber(1), null);

        Assert.That(Encoding.UTF8.GetString(plan.Frames[0].Bytes), Is.EqualTo(
            "event: snapshot\ndata: {\"flights\":[{\"flight\":\"G119\",\"origin\":\"Tokyo\",\"arrival\":\"10:35\",\"state\":\"\"}]}\nid: 3\n\n"));
    }

    [Test]
    public void Join_KnownOlderId_ResendsExactlyTheMissedEventsWithTheirOriginalBytes()
    {
        var hub = Hub();
        var watcher = new FakeSubscriber(9);
        hub.Join(watcher, null);
        Play(hub, 3);

        var plan = hub.Join(new FakeSubscriber(1), "1");

        Assert.That((plan.Kind, plan.Frames.Select(f => f.Id)), Is.EqualTo((JoinKind.Resume, new long[] { 2, 3 })));
        Assert.That(plan.Frames, Is.EqualTo(watcher.Frames.Skip(1)).Using<Frame>(ReferenceEquals), "the same encoded instances, not re-encoded copies");
    }

    [Test]
    public void Join_Resume_ThenLiveEvents_MeetWithNoGapAndNoDuplicate()
    {
        var hub = Hub();
        Play(hub, 1);
        var client = new FakeSubscriber(1);

        var plan = hub.Join(client, "0");
        hub.Publish(Story.Timeline[1]);
        hub.Publish(Story.Timeline[2]);

        Assert.That(plan.Frames.Select(f => f.Id).Concat(client.Ids), Is.EqualTo(new long[] { 1, 2, 3 }));
    }

    [Test]
    public void Join_AtTheNewestId_IsLiveWithNothingResent()
    {
        var hub = Hub();
        Play(hub, 2);

        var plan = hub.Join(new FakeSubscriber(1), "2");

        Assert.That((plan.Kind, plan.Frames.Count), Is.EqualTo((JoinKind.Live, 0)));
    }

    [TestCase("abc", "Last-Event-ID is not a number")]
    [TestCase("-1", "Last-Event-ID is negative")]
    [TestCase("7", "Last-Event-ID 7 is beyond the newest id 2")]
    public void Join_UnusableId_IsASnapshotWithTheReason(string id, string reason)
    {
        var hub = Hub();
        Play(hub, 2);

        var plan = hub.Join(new FakeSubscriber(1), id);

        Assert.That((plan.Kind, plan.Reason, plan.Frames.Single().Id), Is.EqualTo((JoinKind.Snapshot, reason, 2L)));
    }

    [Test]
    public void Join_IdOlderThanTheHistory_IsASnapshot()
    {
        var hub = Hub(history: 2);
        Play(hub, 3);

        var plan = hub.Join(new FakeSubscriber(1), "0");

        Assert.That((plan.Kind, plan.Reason, plan.Frames.Single().Id), Is.EqualTo((JoinKind.Snapshot, "Last-Event-ID 0 is older than the history holds", 3L)));
    }

    [Test]
    public void Join_BeyondMaxClients_IsRefusedAndNotSubscribed()
    {
        var hub = Hub(maxClients: 1);
        hub.Join(new FakeSubscriber(1), null);
        var second = new FakeSubscriber(2);

        var plan = hub.Join(second, null);
        Play(hub, 1);

        Assert.That((plan.Kind, plan.Reason, hub.ClientCount, second.Frames.Count), Is.EqualTo((JoinKind.Refused, "the server is at its limit of 1 streams", 1, 0)));
    }

    [Test]
    public void Join_AfterStop_IsClosedUnanswered_AndOpenStreamsAreLeftToTheServersLifetime()
    {
        var hub = Hub();
        var open = new FakeSubscriber(1);
        hub.Join(open, null);

        hub.Stop();

        Assert.That((hub.Join(new FakeSubscriber(2), null).Kind, open.FinishReason), Is.EqualTo((JoinKind.ShuttingDown, (StreamEndReason?)null)));
    }

    [Test]
    public void Publish_Close_GoesToEveryoneWithItsId_ThenNewClientsGetNoContent()
    {
        var hub = Hub();
        var client = new FakeSubscriber(1);
        hub.Join(client, null);
        Play(hub, 4);

        Assert.That((client.Ids, client.Frames[^1].EndsStream), Is.EqualTo((new long[] { 1, 2, 3, 4 }, true)));
        Assert.That(hub.Join(new FakeSubscriber(2), null).Kind, Is.EqualTo(JoinKind.NoContent));
        Assert.That(hub.Join(new FakeSubscriber(3), "4").Kind, Is.EqualTo(JoinKind.NoContent));
        Assert.That(hub.Join(new FakeSubscriber(4), "abc").Kind, Is.EqualTo(JoinKind.NoContent));
        Assert.That(hub.Progress(), Is.EqualTo((4L, true)));
    }

    [Test]
    public void Join_AfterCloseFromAnOlderId_GetsTheRestEndingWithTheClose_AndIsNotSubscribed()
    {
        var hub = Hub();
        Play(hub, 4);

        var plan = hub.Join(new FakeSubscriber(1), "2");

        Assert.That((plan.Kind, plan.Frames.Select(f => f.Id), plan.EndsStream, hub.ClientCount), Is.EqualTo((JoinKind.Resume, new long[] { 3, 4 }, true, 0)));
    }

    [Test]
    public void Join_AfterCloseFromBeyondTheHistory_GetsTheFinalBoardWithThePreviousIdThenTheClose()
    {
        var hub = Hub(history: 1);
        Play(hub, 4);

        var plan = hub.Join(new FakeSubscriber(1), "1");

        Assert.That((plan.Kind, plan.Frames.Select(f => (f.EventType, f.Id)), plan.EndsStream), Is.EqualTo((JoinKind.Snapshot, new[] { ("snapshot", 3L), ("closedConnection", 4L) }, true)));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Publish_ClientWithNoRoom_IsCutAndTheOthersStillGetTheEvent()
    {
        var hub = Hub();
        var slow = new FakeSubscriber(1, room: 1);
        var healthy = new FakeSubscriber(2);
        hub.Join(slow, null);
        hub.Join(healthy, null);

        Play(hub, 2);

        // The cut closes a socket, so it happens on the pool, never under the hub's lock or on the publisher's thread.
        await Support.Eventually.TrueAsync(() => slow.CutReason is not null, TimeSpan.FromSeconds(5), "the slow client's cut");
        Assert.That((slow.CutReason, slow.Ids, healthy.Ids), Is.EqualTo(((StreamEndReason?)StreamEndReason.Slow, new long[] { 1 }, new long[] { 1, 2 })));
    }

    [Test]
    public void DropAll_FinishesEveryStream_WithoutAnEventOrAnId()
    {
        var hub = Hub();
        var a = new FakeSubscriber(1);
        var b = new FakeSubscriber(2);
        hub.Join(a, null);
        hub.Join(b, null);

        Assert.That(hub.DropAll(), Is.EqualTo(2));

        Assert.That((a.FinishReason, b.FinishReason, a.Frames.Count, hub.Progress().LastEventId), Is.EqualTo(((StreamEndReason?)StreamEndReason.Drop, (StreamEndReason?)StreamEndReason.Drop, 0, 0L)));
    }

    [Test]
    public void StartCycle_ResetsTheBoard_AndSendsASnapshotWithTheNextId()
    {
        var hub = Hub();
        var client = new FakeSubscriber(1);
        hub.Join(client, null);
        Play(hub, 3);

        var frame = hub.StartCycle();

        Assert.That((frame.Id, frame.EventType, client.Frames[^1]), Is.EqualTo((4L, "snapshot", frame)));
        Assert.That(Encoding.UTF8.GetString(frame.Bytes), Is.EqualTo($"event: snapshot\ndata: {Board0}\nid: 4\n\n"));
        Assert.That(hub.Board().Flights.Select(f => f.Code), Is.EqualTo(new[] { "I768", "G119" }));
    }

    [Test]
    public void Leave_StopsOffers()
    {
        var hub = Hub();
        var client = new FakeSubscriber(1);
        hub.Join(client, null);

        hub.Leave(client);
        Play(hub, 1);

        Assert.That((client.Frames.Count, hub.ClientCount), Is.EqualTo((0, 0)));
    }

    [Test]
    public void Fail_FinishesEveryStreamWithTheReason_AndRefusesNewOnes()
    {
        var hub = Hub();
        var client = new FakeSubscriber(1);
        hub.Join(client, null);

        hub.Fail("the scenario clock failed: boom");

        Assert.That((client.FinishReason, hub.Failure, hub.Join(new FakeSubscriber(2), null).Kind), Is.EqualTo(((StreamEndReason?)StreamEndReason.Failure, "the scenario clock failed: boom", JoinKind.Refused)));
    }
}
