using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using SseFlights.Delivery;
using SseFlights.Hub;
using SseFlights.Sources;
using SseFlights.Metrics;
using SseFlights.Scenario;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Unit;

/// <summary>
/// Replicas on a fake clock: the same scenario and --epoch give the same ids and bytes whenever a
/// replica started; a past epoch is caught up by arithmetic, a future one waits at id 0.
/// </summary>
public class ReplicaEpochTests
{
    // One id each whole second: events at 1, 2 and 3 s (a drop between, with no id), the cycle's
    // snapshot at 0 from the second cycle on. So the newest id at t seconds is floor(t).
    private static readonly ScenarioDefinition Repeating = ScenarioLoader.Parse(Encoding.UTF8.GetBytes("""
        { "name": "R", "repeat": true, "cycle": 4,
          "flights": [ { "flight": "A1", "origin": "Rome", "arrival": "10:10", "state": "" } ],
          "timeline": [
            { "at": 1, "event": "flightStateUpdate", "data": { "flight": "A1", "state": "s1" } },
            { "at": 2, "event": "flightStateUpdate", "data": { "flight": "A1", "state": "s2" } },
            { "at": 2.5, "action": "drop" },
            { "at": 3, "event": "flightStateUpdate", "data": { "flight": "A1", "state": "s3" } } ] }
        """), "r.json");

    private static readonly ScenarioDefinition Closing = ScenarioLoader.Parse(Encoding.UTF8.GetBytes("""
        { "name": "C",
          "flights": [ { "flight": "A1", "origin": "Rome", "arrival": "10:10", "state": "" } ],
          "timeline": [
            { "at": 1, "event": "flightStateUpdate", "data": { "flight": "A1", "state": "landed" } },
            { "at": 2, "event": "flightRemoval", "data": { "flight": "A1" } },
            { "at": 3, "event": "closedConnection" } ] }
        """), "c.json");

    private static readonly DateTimeOffset Epoch = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    private sealed class Replica : IDisposable
    {
        private readonly Meter _meter = new("ReplicaEpochTests");

        public Replica(ScenarioDefinition scenario, DateTimeOffset startsAt, DateTimeOffset epoch, int history = 16)
        {
            Time = new FakeTimeProvider(startsAt);
            Hub = new EventHub(scenario, history, 100, NoObserver.Instance, Serilog.Core.Logger.None);
            Player = new ScenarioSource(scenario, Hub, 1, Time, Serilog.Core.Logger.None, epoch: epoch);
            Hub.HoldHorizon = () => Player.IdReachedWithin(TimeSpan.FromSeconds(2));
            Run = Player.RunAsync(CancellationToken.None);
        }

        public FakeTimeProvider Time { get; }

        public EventHub Hub { get; }

        public ScenarioSource Player { get; }

        public Task Run { get; }

        public long LastId => Hub.Progress().LastEventId;

        /// <summary>Moves the clock to <paramref name="at"/> a second at a time, waiting for each second's id.</summary>
        public async Task AdvanceToAsync(DateTimeOffset at)
        {
            while (Time.GetUtcNow() < at)
            {
                var step = TimeSpan.FromSeconds(Math.Min(1, (at - Time.GetUtcNow()).TotalSeconds));
                Time.Advance(step);
                long expected = Math.Max(0, (long)Math.Floor((Time.GetUtcNow() - Epoch).TotalSeconds));
                await Eventually.TrueAsync(() => LastId >= expected, TimeSpan.FromSeconds(10), $"id {expected}");
            }
        }

        public void Dispose() => _meter.Dispose();
    }

    private static string Text(IEnumerable<Frame> frames) => string.Concat(frames.Select(f => Encoding.UTF8.GetString(f.Bytes)));

    [Test]
    [CancelAfter(60_000)]
    public async Task Joins_HeldWithinTheSkew_WhileTheClockFiresEvents_NeverDeadlock(CancellationToken cancellationToken)
    {
        // A join asks the skew's horizon under the hub's lock while the clock hands events to the hub
        // under its own: the horizon must not take the clock's lock (it once did, and replicas froze).
        var busy = ScenarioLoader.Parse(Encoding.UTF8.GetBytes($$"""
            { "name": "B", "repeat": true, "cycle": 1,
              "flights": [ { "flight": "A1", "origin": "Rome", "arrival": "10:10", "state": "" } ],
              "timeline": [ {{string.Join(",", Enumerable.Range(0, 500).Select(i => $$"""{ "at": {{i / 1000.0:0.000}}, "event": "flightStateUpdate", "data": { "flight": "A1", "state": "s{{i}}" } }"""))}} ] }
            """), "b.json");
        using var replica = new Replica(busy, Epoch, Epoch);

        var joins = Task.Run(() =>
        {
            for (int i = 0; i < 3000; i++)
            {
                var client = new FakeSubscriber(i);
                replica.Hub.Join(client, (replica.Hub.Progress().LastEventId + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
                replica.Hub.Leave(client);
            }
        }, cancellationToken);
        var clock = Task.Run(() =>
        {
            for (int i = 0; i < 3000; i++)
            {
                replica.Time.Advance(TimeSpan.FromMilliseconds(1));
            }
        }, cancellationToken);

        await Task.WhenAll(joins, clock).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        Assert.That(replica.Hub.Progress().LastEventId, Is.GreaterThan(1000), "the clock kept firing throughout");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task TwoReplicas_SameEpoch_StartedApart_HaveIdenticalHistoryBoardAndLiveFrames()
    {
        using var early = new Replica(Repeating, Epoch, Epoch);
        var watcher = new FakeSubscriber(1);
        early.Hub.Join(watcher, "0");
        await early.AdvanceToAsync(Epoch.AddSeconds(37.3));

        using var late = new Replica(Repeating, Epoch.AddSeconds(37.3), Epoch);

        Assert.That(late.LastId, Is.EqualTo(37), "caught up at once, before any time passed");
        Assert.That(early.LastId, Is.EqualTo(37));
        Assert.That(late.Hub.Board().Flights, Is.EqualTo(early.Hub.Board().Flights));
        var lateResume = late.Hub.Join(new FakeSubscriber(2), "21");
        var earlyResume = early.Hub.Join(new FakeSubscriber(3), "21");
        Assert.That(lateResume.Kind, Is.EqualTo(JoinKind.Resume));
        Assert.That(Text(lateResume.Frames), Is.EqualTo(Text(earlyResume.Frames)).And.EqualTo(Text(watcher.Frames.Where(f => f.Id > 21))));
        Assert.That(lateResume.Frames.Select(f => f.Id), Is.EqualTo(Enumerable.Range(22, 16).Select(i => (long)i)));
        Assert.That(late.Hub.Join(new FakeSubscriber(4), "20").HistoryTooShort, Is.True, "both histories hold the same 16 frames");
        Assert.That(Text(late.Hub.Join(new FakeSubscriber(5), null).Frames), Is.EqualTo(Text(early.Hub.Join(new FakeSubscriber(6), null).Frames)));

        var lateLive = new FakeSubscriber(7);
        late.Hub.Join(lateLive, "37");
        int seen = watcher.Frames.Count;
        await early.AdvanceToAsync(Epoch.AddSeconds(45.3));
        await late.AdvanceToAsync(Epoch.AddSeconds(45.3));

        Assert.That(lateLive.Ids, Is.EqualTo(new long[] { 38, 39, 40, 41, 42, 43, 44, 45 }));
        Assert.That(lateLive.Text, Is.EqualTo(Text(watcher.Frames.Skip(seen))));
        Assert.That(lateLive.Text, Does.StartWith("event: flightStateUpdate\ndata: {\"flight\":\"A1\",\"state\":\"s2\"}\nid: 38\n\n"
            + "event: flightStateUpdate\ndata: {\"flight\":\"A1\",\"state\":\"s3\"}\nid: 39\n\n"
            + "event: snapshot\ndata: {\"flights\":[{\"flight\":\"A1\",\"origin\":\"Rome\",\"arrival\":\"10:10\",\"state\":\"\"}]}\nid: 40\n\n"));
    }

    [Test]
    [CancelAfter(10_000)]
    public void YearOldEpoch_StartsAtOnce_WithTheIdsAndBytesOfThatMoment()
    {
        var now = Epoch.AddDays(365).AddSeconds(3.5);
        var clock = Stopwatch.StartNew();

        using var replica = new Replica(Repeating, now, Epoch);

        clock.Stop();
        long seconds = (long)(now - Epoch).TotalSeconds;
        Assert.That(replica.LastId, Is.EqualTo(seconds));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)), "a replay of every cycle since the epoch would be 31 million events");
        var resume = replica.Hub.Join(new FakeSubscriber(1), (seconds - 2).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.That(Text(resume.Frames), Is.EqualTo(
            $"event: flightStateUpdate\ndata: {{\"flight\":\"A1\",\"state\":\"s2\"}}\nid: {seconds - 1}\n\n"
            + $"event: flightStateUpdate\ndata: {{\"flight\":\"A1\",\"state\":\"s3\"}}\nid: {seconds}\n\n"));
        Assert.That(replica.Hub.Board().Flights.Single().State, Is.EqualTo("s3"));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task FutureEpoch_ServesTheInitialBoardAtIdZero_UntilTheEpoch()
    {
        using var replica = new Replica(Repeating, Epoch.AddSeconds(-10), Epoch);
        var client = new FakeSubscriber(1);
        var plan = replica.Hub.Join(client, null);
        Assert.That((plan.Kind, plan.Frames.Single().Id), Is.EqualTo((JoinKind.Snapshot, 0L)));

        replica.Time.Advance(TimeSpan.FromSeconds(10.999));
        Assert.That(replica.LastId, Is.EqualTo(0));
        replica.Time.Advance(TimeSpan.FromMilliseconds(1));
        await Eventually.TrueAsync(() => replica.LastId == 1, TimeSpan.FromSeconds(10), "the first event, one second after the epoch");

        Assert.That(client.Ids, Is.EqualTo(new long[] { 1 }));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task CloseInThePast_LateReplicaAnswers204_AndResumesOlderIdsLikeTheReplicaThatSentIt()
    {
        using var early = new Replica(Closing, Epoch, Epoch);
        await early.AdvanceToAsync(Epoch.AddSeconds(3));
        await early.Run;

        using var late = new Replica(Closing, Epoch.AddMinutes(5), Epoch);
        await late.Run;

        Assert.That(late.Hub.Join(new FakeSubscriber(1), null).Kind, Is.EqualTo(JoinKind.NoContent));
        Assert.That(late.Hub.Join(new FakeSubscriber(2), "3").Kind, Is.EqualTo(JoinKind.NoContent));
        var resume = late.Hub.Join(new FakeSubscriber(3), "1");
        Assert.That((resume.Kind, resume.EndsStream), Is.EqualTo((JoinKind.Resume, true)));
        Assert.That(Text(resume.Frames), Is.EqualTo(Text(early.Hub.Join(new FakeSubscriber(4), "1").Frames)));
        Assert.That(Text(resume.Frames), Is.EqualTo("event: flightRemoval\ndata: {\"flight\":\"A1\"}\nid: 2\n\nevent: closedConnection\ndata:\nid: 3\n\n"));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Resume_IdWithinTheSkew_IsHeldUntilReached_ThenLiveWithNothingResent()
    {
        using var replica = new Replica(Repeating, Epoch.AddSeconds(5.5), Epoch);
        Assert.That(replica.LastId, Is.EqualTo(5));
        var client = new FakeSubscriber(1);

        var plan = replica.Hub.Join(client, "7");

        Assert.That((plan.Kind, plan.Frames.Count, plan.HeldUntil), Is.EqualTo((JoinKind.Live, 0, (long?)7)));
        await replica.AdvanceToAsync(Epoch.AddSeconds(9));
        Assert.That(client.Ids, Is.EqualTo(new long[] { 8, 9 }));
    }

    [Test]
    public void Resume_IdBeyondTheSkew_GetsASnapshot()
    {
        using var replica = new Replica(Repeating, Epoch.AddSeconds(5.5), Epoch);

        var plan = replica.Hub.Join(new FakeSubscriber(1), "8");

        Assert.That((plan.Kind, plan.Frames.Single().Id, plan.HeldUntil), Is.EqualTo((JoinKind.Snapshot, 5L, (long?)null)));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Resume_HeldAtTheCloseId_EndsWhenTheCloseComes_WithoutResendingIt()
    {
        using var replica = new Replica(Closing, Epoch.AddSeconds(1.5), Epoch);
        var client = new FakeSubscriber(1);
        Assert.That(replica.Hub.Join(client, "3").HeldUntil, Is.EqualTo(3));

        await replica.AdvanceToAsync(Epoch.AddSeconds(3));

        Assert.That((client.Frames.Count, client.FinishReason), Is.EqualTo((0, (StreamEndReason?)StreamEndReason.Closed)));
    }
}
