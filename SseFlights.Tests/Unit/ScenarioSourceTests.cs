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

public class ScenarioSourceTests
{
    private static ScenarioDefinition Scenario(string timeline, string extra = "") => ScenarioLoader.Parse(Encoding.UTF8.GetBytes($$"""
        { "name": "P", {{extra}} "flights": [ { "flight": "A1", "origin": "Rome", "arrival": "10:10", "state": "" } ], "timeline": [ {{timeline}} ] }
        """), "p.json");

    /// <summary>Collects what the hub offers, like a client with an endless queue, stamped with the fake clock's time.</summary>
    private sealed class Recorder(TimeProvider time) : IEventSubscriber
    {
        private readonly List<(long Id, TimeSpan At)> _frames = [];
        private readonly DateTimeOffset _start = time.GetUtcNow();

        public long ClientId => 1;

        public Offered Offer(Frame frame)
        {
            lock (_frames)
            {
                _frames.Add((frame.Id, time.GetUtcNow() - _start));
            }

            return Offered.Queued;
        }

        public void WakeHere() { }

        public void WakeOnPool() { }

        public void Cut(StreamEndReason reason) { }

        public void Finish(StreamEndReason reason) { }

        public void OnTick(long nowTimestamp) { }

        public (long Id, TimeSpan At)[] Frames()
        {
            lock (_frames)
            {
                return [.. _frames];
            }
        }

        public long[] Ids() => [.. Frames().Select(f => f.Id)];
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Entries_FireAtTheirOffsetDividedBySpeed_NeverEarly_AndDoNotDrift()
    {
        var scenario = Scenario(string.Join(",", Enumerable.Range(1, 100).Select(i => $$"""{ "at": {{i}}, "event": "flightStateUpdate", "data": { "flight": "A1", "state": "s{{i}}" } }""")));
        var time = new FakeTimeProvider();
        var start = time.GetUtcNow();
        using var meter = new Meter("ScenarioSourceTests");
        var hub = new EventHub(scenario, 1024, 10, NoObserver.Instance, Serilog.Core.Logger.None);
        var recorder = new Recorder(time);
        hub.Join(recorder, "0");
        var run = new ScenarioSource(scenario, hub, speed: 4, time, Serilog.Core.Logger.None).RunAsync(CancellationToken.None);

        // At speed 4, entry n is due at n/4 s. The fake clock only moves when we advance it, so each
        // offer's stamp says exactly when its entry fired. First uneven 0.3 s strides to 6 s: with
        // delays summed from late wake-ups the entries would drift out of the stride that reached them.
        var step = TimeSpan.FromSeconds(0.3);
        for (int k = 1; k <= 20; k++)
        {
            time.Advance(step);
            int due = (int)Math.Floor(k * 0.3 * 4 + 1e-9);
            await Eventually.TrueAsync(() => recorder.Ids().Length >= due, TimeSpan.FromSeconds(10), $"{due} entries after {k} strides");
        }

        // Then stop one tick short of each remaining entry's moment, and step onto it: an entry that
        // fired early would carry the earlier stamp.
        for (int n = 25; n <= 100; n++)
        {
            var dueAt = TimeSpan.FromSeconds(n / 4.0);
            time.Advance(dueAt - TimeSpan.FromTicks(1) - (time.GetUtcNow() - start));
            time.Advance(TimeSpan.FromTicks(1));
            int count = n;
            await Eventually.TrueAsync(() => recorder.Ids().Length >= count, TimeSpan.FromSeconds(10), $"entry {n}");
        }

        await run;
        var frames = recorder.Frames();
        Assert.That(frames.Select(f => f.Id), Is.EqualTo(Enumerable.Range(1, 100).Select(i => (long)i)));
        foreach (var (id, at) in frames)
        {
            // Never before its moment, and in the step that reached it: absolute offsets do not drift.
            var due = TimeSpan.FromSeconds(id / 4.0);
            Assert.That(at, Is.GreaterThanOrEqualTo(due).And.LessThan(due + (id <= 24 ? step : TimeSpan.FromMilliseconds(1))), $"entry {id}");
        }
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Entry_FoundExactlyOneMillisecondOverdueOnWaking_FiresAtOnce(CancellationToken cancellationToken)
    {
        // One millisecond late is Timeout.InfiniteTimeSpan's value: a late wake-up that saw it as
        // "paused" waited forever, and the board froze (seen once under load in the no-loss test).
        var scenario = Scenario("""{ "at": 1, "event": "flightStateUpdate", "data": { "flight": "A1", "state": "x" } }""");
        var time = new TimerWatchingTimeProvider();
        using var meter = new Meter("ScenarioSourceTests");
        var hub = new EventHub(scenario, 1024, 10, NoObserver.Instance, Serilog.Core.Logger.None);
        var recorder = new Recorder(time);
        hub.Join(recorder, "0");
        var run = new ScenarioSource(scenario, hub, 1, time, Serilog.Core.Logger.None).RunAsync(CancellationToken.None);
        await time.WhenTimersCreated(TimeSpan.FromSeconds(1), 1).WaitAsync(cancellationToken);

        time.Advance(TimeSpan.FromMilliseconds(1001));

        await run.WaitAsync(cancellationToken);
        Assert.That(recorder.Frames(), Is.EqualTo(new[] { (1L, TimeSpan.FromMilliseconds(1001)) }));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Drop_GetsNoId_AndIdsStayConsecutive()
    {
        var scenario = Scenario("""
            { "at": 1, "event": "flightStateUpdate", "data": { "flight": "A1", "state": "x" } },
            { "at": 1, "action": "drop" },
            { "at": 2, "event": "flightRemoval", "data": { "flight": "A1" } }
            """);
        var time = new FakeTimeProvider();
        using var meter = new Meter("ScenarioSourceTests");
        var hub = new EventHub(scenario, 1024, 10, NoObserver.Instance, Serilog.Core.Logger.None);
        var recorder = new Recorder(time);
        hub.Join(recorder, "0");
        var run = new ScenarioSource(scenario, hub, 1, time, Serilog.Core.Logger.None).RunAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(2));
        await run;
        Assert.That(recorder.Ids(), Is.EqualTo(new long[] { 1, 2 }));
        Assert.That(hub.Board().Flights, Is.Empty);
    }
}
