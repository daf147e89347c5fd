using System.Text;
using Microsoft.Extensions.Time.Testing;
using SseFlights.Broadcast;
using SseFlights.Scenario;

namespace SseFlights.Tests.Unit;

public class ScenarioPlayerTests
{
    private static ScenarioDefinition Scenario(string timeline, string extra = "") => ScenarioLoader.Parse(Encoding.UTF8.GetBytes($$"""
        { "name": "P", {{extra}} "flights": [ { "flight": "A1", "origin": "Rome", "arrival": "10:10", "state": "" } ], "timeline": [ {{timeline}} ] }
        """), "p.json");

    /// <summary>Collects what the hub offers, like a client with an endless queue.</summary>
    private sealed class Recorder : IEventSubscriber
    {
        public List<EncodedEvent> Frames { get; } = [];

        public long ClientId => 1;

        public bool Offer(EncodedEvent frame)
        {
            lock (Frames)
            {
                Frames.Add(frame);
            }

            return true;
        }

        public void Cut(string reason) { }

        public void Finish(string reason) { }

        public void OnTick(long nowTimestamp) { }

        public long[] Ids()
        {
            lock (Frames)
            {
                return [.. Frames.Select(f => f.Id)];
            }
        }
    }

    private static async Task<long[]> IdsAfterAsync(Recorder recorder, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (recorder.Ids().Length < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }

        await Task.Delay(50);
        return recorder.Ids();
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Entries_FireAtTheirOffsetDividedBySpeed_NeverEarly_AndDoNotDrift()
    {
        var scenario = Scenario(string.Join(",", Enumerable.Range(1, 100).Select(i => $$"""{ "at": {{i}}, "event": "flightStateUpdate", "data": { "flight": "A1", "state": "s{{i}}" } }""")));
        var time = new FakeTimeProvider();
        var hub = new EventHub(scenario, 1024, 10, Serilog.Core.Logger.None);
        var recorder = new Recorder();
        hub.Join(recorder, "0");
        var player = new ScenarioPlayer(scenario, hub, speed: 4, time, Serilog.Core.Logger.None);
        using var stop = new CancellationTokenSource();
        var run = player.RunAsync(stop.Token);

        // At speed 4, entry n is due at n/4 s. Step in uneven 0.3 s strides for 25 s of scenario.
        for (int step = 1; step <= 20; step++)
        {
            time.Advance(TimeSpan.FromSeconds(0.3));
            int due = (int)Math.Floor(step * 0.3 * 4 + 1e-9);
            Assert.That(await IdsAfterAsync(recorder, due), Is.EqualTo(Enumerable.Range(1, due).Select(i => (long)i)), $"after {step * 0.3:0.0} s");
        }

        // Delays that each overshoot would add up if summed; from absolute offsets, entry 100 is due at
        // exactly 25 s: not a tick before, and within the timer's millisecond after.
        time.Advance(TimeSpan.FromSeconds(25 - 6) - TimeSpan.FromTicks(1));
        Assert.That((await IdsAfterAsync(recorder, 99)).Length, Is.EqualTo(99));
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.That((await IdsAfterAsync(recorder, 100)).Length, Is.EqualTo(100));
        await run;
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
        var hub = new EventHub(scenario, 1024, 10, Serilog.Core.Logger.None);
        var recorder = new Recorder();
        hub.Join(recorder, "0");
        var run = new ScenarioPlayer(scenario, hub, 1, time, Serilog.Core.Logger.None).RunAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(2));
        await run;
        Assert.That(recorder.Ids(), Is.EqualTo(new long[] { 1, 2 }));
        Assert.That(hub.Board().Flights, Is.Empty);
    }
}
