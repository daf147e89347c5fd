using SseFlights.Cli;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using SseFlights.Record;
using SseFlights.Scenario;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Record;

/// <summary><c>sseflights record</c> against real servers: SseFlights itself on a fake clock, and the bench's Node peer on the real one.</summary>
public class RecordTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    private static RecordOptions Options(string url, double? duration = null, int? events = null, params KeyValuePair<string, string>[] headers) =>
        new(new Uri(url), headers, null, duration, events);

    private sealed class Run(TimeProvider time) : IDisposable
    {
        private readonly HttpClient _http = RecordCommand.CreateHttpClient();

        public StringWriter Stdout { get; } = new();

        public StringWriter Stderr { get; } = new();

        public RecordCommand Command { get; private set; } = null!;

        public Task<int> StartAsync(RecordOptions options, CancellationToken interrupted = default)
        {
            Command = new RecordCommand(_http, time, Stdout, Stderr);
            return Command.RunAsync(options, interrupted);
        }

        public ScenarioDefinition Scenario() => ScenarioLoader.Parse(Encoding.UTF8.GetBytes(Stdout.ToString()), "recorded.json");

        public void Dispose() => _http.Dispose();
    }

    /// <summary>Records <paramref name="scenario"/> served on a fake clock, moving the clock from one event to the next.</summary>
    private static async Task<ScenarioDefinition> RecordOnFakeClockAsync(ScenarioDefinition scenario)
    {
        var time = new FakeTimeProvider(Start);
        await using var server = await TestServer.StartAsync(scenario, time);
        using var run = new Run(time);
        var recording = run.StartAsync(Options(server.BaseUrl + "events"));
        await Eventually.TrueAsync(() => run.Command.Recorder.Received == 1, TimeSpan.FromSeconds(10), "the snapshot");
        double now = 0;
        for (int i = 0; i < scenario.Timeline.Count; i++)
        {
            time.Advance(TimeSpan.FromSeconds(scenario.Timeline[i].At - now));
            now = scenario.Timeline[i].At;
            await Eventually.TrueAsync(() => run.Command.Recorder.Received == i + 2, TimeSpan.FromSeconds(10), $"event {i + 1}");
        }

        Assert.That(await recording, Is.EqualTo(0), run.Stderr.ToString());
        return run.Scenario();
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Record_Tutorial_WritesItsBoardAndEachEventAtItsTime_AndTheReplayRecordsTheSame()
    {
        var tutorial = ScenarioLoader.Parse(Encoding.UTF8.GetBytes(Scenarios.Tutorial), "tutorial.json");

        var recorded = await RecordOnFakeClockAsync(tutorial);

        Assert.That(recorded.Flights, Is.EqualTo(tutorial.Flights));
        Assert.That((recorded.Repeat, recorded.CustomEvents.Count), Is.EqualTo((false, 0)));
        Assert.That(recorded.Timeline.Select(e => (e.At, e.EventName, e.Data)), Is.EqualTo(tutorial.Timeline.Select(e => (e.At, e.EventName, e.Data))));

        var replayed = await RecordOnFakeClockAsync(recorded);
        Assert.That(replayed.Timeline.Select(e => (e.At, e.EventName, e.Data)), Is.EqualTo(recorded.Timeline.Select(e => (e.At, e.EventName, e.Data))));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Record_EventsLimit_StopsAfterThatManyEvents()
    {
        var time = new FakeTimeProvider(Start);
        await using var server = await TestServer.StartAsync(Scenarios.Tutorial, time);
        using var run = new Run(time);
        var recording = run.StartAsync(Options(server.BaseUrl + "events", events: 2));
        await Eventually.TrueAsync(() => run.Command.Recorder.Received == 1, TimeSpan.FromSeconds(10), "the snapshot");
        time.Advance(TimeSpan.FromSeconds(3));
        await Eventually.TrueAsync(() => run.Command.Recorder.Received == 2, TimeSpan.FromSeconds(10), "event 1");
        Assert.That(recording.IsCompleted, Is.False, "one event is not yet two");
        time.Advance(TimeSpan.FromSeconds(3));

        Assert.That(await recording, Is.EqualTo(0));
        Assert.That(run.Scenario().Timeline.Select(e => e.At), Is.EqualTo(new[] { 3.0, 6.0 }));
        Assert.That(run.Stderr.ToString(), Is.EqualTo(
            $"sseflights record: recording {server.BaseUrl}events; Ctrl+C stops and writes what was recorded{Environment.NewLine}"
            + "sseflights record: 2 entries recorded; stopped because --events were recorded" + Environment.NewLine));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Record_Duration_StopsWhenItRunsOutAndWritesWhatItHas()
    {
        var time = new FakeTimeProvider(Start);
        await using var server = await TestServer.StartAsync(Scenarios.Tutorial, time);
        using var run = new Run(time);
        var recording = run.StartAsync(Options(server.BaseUrl + "events", duration: 7));
        await Eventually.TrueAsync(() => run.Command.Recorder.Received == 1, TimeSpan.FromSeconds(10), "the snapshot");
        time.Advance(TimeSpan.FromSeconds(6));
        await Eventually.TrueAsync(() => run.Command.Recorder.Received == 3, TimeSpan.FromSeconds(10), "events 1 and 2");
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.That(await recording, Is.EqualTo(0));
        Assert.That(run.Scenario().Timeline.Select(e => e.EventName), Is.EqualTo(new[] { "flightStateUpdate", "flightStateUpdate" }));
        Assert.That(run.Stderr.ToString(), Does.EndWith("stopped because --duration ran out" + Environment.NewLine));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Record_Interrupted_WritesWhatItHas()
    {
        var time = new FakeTimeProvider(Start);
        await using var server = await TestServer.StartAsync(Scenarios.Tutorial, time);
        using var run = new Run(time);
        using var interrupt = new CancellationTokenSource();
        var recording = run.StartAsync(Options(server.BaseUrl + "events", null, 100, new KeyValuePair<string, string>("X-Test", "yes")), interrupt.Token);
        await Eventually.TrueAsync(() => run.Command.Recorder.Received == 1, TimeSpan.FromSeconds(10), "the snapshot");
        time.Advance(TimeSpan.FromSeconds(3));
        await Eventually.TrueAsync(() => run.Command.Recorder.Received == 2, TimeSpan.FromSeconds(10), "event 1");
        await interrupt.CancelAsync();

        Assert.That(await recording, Is.EqualTo(0));
        Assert.That(run.Scenario().Timeline.Select(e => e.Data), Is.EqualTo(new[] { "{\"flight\":\"I768\",\"state\":\"landing\"}" }));
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task Record_NodePeer_WritesAValidFileWhoseReplayKeepsTheTimes()
    {
        const string scenario = """
            {
              "name": "For the Node peer",
              "customEvents": ["gateChange"],
              "flights": [
                { "flight": "F1", "origin": "Rome", "arrival": "08:00", "state": "" },
                { "flight": "F2", "origin": "Oslo", "arrival": "08:30", "state": "" }
              ],
              "timeline": [
                { "at": 2.0, "event": "flightStateUpdate", "data": { "flight": "F1", "state": "boarding" } },
                { "at": 2.3, "event": "gateChange", "data": { "flight": "F2", "gate": "B4" } },
                { "at": 2.6, "event": "flightAddition", "data": { "flight": "N1", "origin": "Lima", "arrival": "09:00", "state": "new" } },
                { "at": 2.9, "event": "flightRemoval", "data": { "flight": "F2" } },
                { "at": 3.2, "event": "closedConnection" }
              ]
            }
            """;
        // The peer's clock starts when the recorder connects, however long the recorder takes to start.
        await using var node = await NodePeer.StartAsync(scenario, clockOnFirstClient: true);
        string file = Path.Combine(Directory.CreateTempSubdirectory("sseflights-record-").FullName, "node.json");

        var (code, stdout, stderr) = await BuiltProgram.RunAsync("record", node.EventsUrl, "--output", file, "--header", "X-Recorder: test");

        Assert.That((code, stdout), Is.EqualTo((0, "")), stderr);
        Assert.That(stderr, Is.EqualTo($"sseflights record: recording {node.EventsUrl}; Ctrl+C stops and writes what was recorded\nsseflights record: 5 entries recorded; stopped because the source sent closedConnection\n"));
        var (validateCode, _, validateErrors) = await BuiltProgram.RunAsync("validate", file);
        Assert.That(validateCode, Is.EqualTo(0), validateErrors);
        var recorded = ScenarioLoader.LoadFile(file);
        Assert.That(recorded.CustomEvents, Is.EqualTo(new[] { "gateChange" }));
        Assert.That(recorded.Flights.Select(f => f.Code), Is.EqualTo(new[] { "F1", "F2" }));
        Assert.That(recorded.Timeline.Select(e => (e.EventName, e.Data)), Is.EqualTo(new[]
        {
            ("flightStateUpdate", "{\"flight\":\"F1\",\"state\":\"boarding\"}"),
            ("gateChange", "{\"flight\":\"F2\",\"gate\":\"B4\"}"),
            ("flightAddition", "{\"flight\":\"N1\",\"origin\":\"Lima\",\"arrival\":\"09:00\",\"state\":\"new\"}"),
            ("flightRemoval", "{\"flight\":\"F2\"}"),
            ("closedConnection", ""),
        }));

        // The replay, on the real clock: the same names and data, each near its recorded time. Both
        // recordings read real time on a machine that may be busy, so the bound is what a wrong time base,
        // a unit error or a drift would break (seconds), not a single sample's scheduling noise.
        await using var replay = await TestServer.StartAsync(recorded);
        using var run = new Run(TimeProvider.System);
        Assert.That(await run.StartAsync(Options(replay.BaseUrl + "events")), Is.EqualTo(0));
        var replayed = run.Scenario();
        Assert.That(replayed.Timeline.Select(e => (e.EventName, e.Data)), Is.EqualTo(recorded.Timeline.Select(e => (e.EventName, e.Data))));
        var offsets = replayed.Timeline.Zip(recorded.Timeline, (r, o) => Math.Abs(r.At - o.At)).ToList();
        TestContext.Out.WriteLine($"replay offsets (ms): {string.Join(", ", offsets.Select(o => (o * 1000).ToString("0")))}");
        Assert.That(offsets, Has.All.LessThanOrEqualTo(0.250));
    }
}
