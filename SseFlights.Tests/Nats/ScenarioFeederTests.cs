using System.Text;
using Microsoft.Extensions.Time.Testing;
using SseFlights.Nats;
using SseFlights.Scenario;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Nats;

/// <summary>The feeder on a fake clock into an in-memory log: each message at its moment, in order, resets at cycle starts, and a clean stop.</summary>
public class ScenarioFeederTests
{
    /// <summary>The log as a list, stamped with the fake clock's time since the start.</summary>
    private sealed class MemoryLog(TimeProvider time) : ILogAppender
    {
        private readonly DateTimeOffset _start = time.GetUtcNow();
        private readonly List<(TimeSpan At, string Body, string? Id)> _messages = [];

        public Task<long> AppendAsync(ReadOnlyMemory<byte> body, string? messageId, CancellationToken cancellationToken)
        {
            lock (_messages)
            {
                _messages.Add((time.GetUtcNow() - _start, Encoding.UTF8.GetString(body.Span), messageId));
                return Task.FromResult((long)_messages.Count);
            }
        }

        public (TimeSpan At, string Body, string? Id)[] Messages()
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }

        public string[] Bodies() => [.. Messages().Select(m => m.Body)];
    }

    private static ScenarioDefinition Scenario(string json) => ScenarioLoader.Parse(Encoding.UTF8.GetBytes(json), "feed.json");

    private static ScenarioDefinition Tutorial => Scenario(Scenarios.Tutorial);

    private const string Repeating = """
        {
          "name": "Loop",
          "repeat": true,
          "cycle": 4,
          "customEvents": ["note"],
          "flights": [ { "flight": "A1", "origin": "Rome", "arrival": "10:10", "state": "" } ],
          "timeline": [
            { "at": 0, "event": "flightStateUpdate", "data": { "flight": "A1", "state": "boarding" } },
            { "at": 1, "action": "drop" },
            { "at": 2, "comment": "still here" },
            { "at": 2, "event": "note", "data": "two\nlines", "split": { "bytes": 2, "delayMs": 5 } },
            { "at": 3, "retry": 1500 }
          ]
        }
        """;

    private static readonly string[] RepeatingCycle =
    [
        """{"event":"flightStateUpdate","data":{"flight":"A1","state":"boarding"}}""",
        """{"action":"drop"}""",
        """{"comment":"still here"}""",
        """{"event":"note","data":"two\nlines","split":{"bytes":2,"delayMs":5}}""",
        """{"retry":1500}""",
    ];

    [Test]
    [CancelAfter(20_000)]
    public async Task Run_Tutorial_PublishesEachEntryAtItsOffsetOverTheSpeed_NeverEarly_ThenEnds()
    {
        var time = new FakeTimeProvider();
        var log = new MemoryLog(time);
        var feeder = new ScenarioFeeder(Tutorial, speed: 2, log, time, Serilog.Core.Logger.None);

        // Step to 1 ms short of each moment, then onto it: a message sent early would carry the earlier stamp.
        var run = feeder.RunAsync(resetFirst: false, CancellationToken.None);
        foreach (double due in new[] { 1.5, 3, 4.5, 6 })
        {
            int before = log.Messages().Length;
            time.Advance(TimeSpan.FromSeconds(due) - (time.GetUtcNow() - time.Start) - TimeSpan.FromMilliseconds(1));
            time.Advance(TimeSpan.FromMilliseconds(1));
            await Eventually.TrueAsync(() => log.Messages().Length == before + 1, TimeSpan.FromSeconds(10), $"the message due at {due} s");
        }

        Assert.That(await run, Is.EqualTo(FeedEnd.Ended));
        Assert.That(log.Messages().Select(m => (m.At.TotalSeconds, m.Body)), Is.EqualTo(new[]
        {
            (1.5, """{"event":"flightStateUpdate","data":{"flight":"I768","state":"landing"}}"""),
            (3.0, """{"event":"flightStateUpdate","data":{"flight":"I768","state":"landed"}}"""),
            (4.5, """{"event":"flightRemoval","data":{"flight":"I768"}}"""),
            (6.0, """{"event":"closedConnection"}"""),
        }));
        Assert.That(feeder.Published, Is.EqualTo(4));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Run_Repeating_PublishesEveryShape_AndAResetAtEachCycleStart_UntilStopped()
    {
        var time = new FakeTimeProvider();
        var log = new MemoryLog(time);
        using var stop = new CancellationTokenSource();
        var run = new ScenarioFeeder(Scenario(Repeating), speed: 1, log, time, Serilog.Core.Logger.None).RunAsync(resetFirst: false, stop.Token);

        for (int second = 1; second <= 9; second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            int expected = new[] { 1, 2, 4, 5, 7, 8, 10, 11, 13, 14 }[second];
            await Eventually.TrueAsync(() => log.Messages().Length == expected, TimeSpan.FromSeconds(10), $"{expected} messages at {second} s");
        }

        await stop.CancelAsync();

        Assert.That(await run, Is.EqualTo(FeedEnd.Stopped));
        string reset = """{"action":"reset"}""";
        Assert.That(log.Bodies(), Is.EqualTo(RepeatingCycle.Append(reset).Concat(RepeatingCycle).Append(reset).Concat(RepeatingCycle.Take(2))));
        Assert.That(log.Messages().Where(m => m.Body == reset).Select(m => m.At.TotalSeconds), Is.EqualTo(new[] { 4.0, 8.0 }));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Run_ResetFirst_PublishesAResetBeforeTheFirstEntry_AndEveryMessageHasItsOwnId()
    {
        var time = new FakeTimeProvider();
        var log = new MemoryLog(time);

        // The run is waiting for the first entry once RunAsync returns (the reset went out at once); every
        // entry is due within 12 ms at this speed, so one step of the clock makes them all due.
        var run = new ScenarioFeeder(Tutorial, speed: 1000, log, time, Serilog.Core.Logger.None).RunAsync(resetFirst: true, CancellationToken.None);
        Assert.That(log.Bodies(), Is.EqualTo(new[] { """{"action":"reset"}""" }));
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.That(await run, Is.EqualTo(FeedEnd.Ended));
        Assert.That(log.Bodies()[0], Is.EqualTo("""{"action":"reset"}"""));
        Assert.That(log.Bodies(), Has.Length.EqualTo(5));
        var ids = log.Messages().Select(m => m.Id!).ToArray();
        Assert.That(ids.Distinct().Count(), Is.EqualTo(5));
        Assert.That(ids.Select(id => id[..id.IndexOf('.')]).Distinct().Count(), Is.EqualTo(1), "one run id");
    }
}
