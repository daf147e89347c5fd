using System.Text;
using SseFlights.Cli;
using SseFlights.Nats;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Nats;

/// <summary><c>sseflights publish</c>, the built program, into a real nats-server: the exact messages in order, its exits, and its one-line failures.</summary>
public class PublishCommandTests
{
    /// <summary>A cycle of 4 scenario seconds with every kind of entry; at --speed 20 a cycle takes 0.2 s.</summary>
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

    private static readonly string[] TutorialMessages =
    [
        """{"event":"flightStateUpdate","data":{"flight":"I768","state":"landing"}}""",
        """{"event":"flightStateUpdate","data":{"flight":"I768","state":"landed"}}""",
        """{"event":"flightRemoval","data":{"flight":"I768"}}""",
        """{"event":"closedConnection"}""",
    ];

    private const string Reset = """{"action":"reset"}""";

    private static string TutorialPath => Path.Combine(Scenarios.RepoRoot, "scenarios", "tutorial.json");

    private static async Task<string> WriteScenarioAsync(string json)
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("sseflights-publish-").FullName, "loop.json");
        await File.WriteAllTextAsync(path, json);
        return path;
    }

    /// <summary>The default stream, made now if the feeder has not made it yet (with the bound the feeder gives it).</summary>
    private static async Task<NatsLog> ReaderAsync(NatsServer server)
    {
        var log = await NatsLog.ConnectAsync(new NatsLogOptions(server.Url, NatsLogOptions.DefaultStream, null, NatsLogOptions.DefaultMaxMessages), TimeProvider.System, Serilog.Core.Logger.None, CancellationToken.None);
        await log.EnsureStreamAsync(CancellationToken.None);
        return log;
    }

    /// <summary>Every message body the stream holds, by sequence from 1.</summary>
    private static async Task<string[]> BodiesAsync(NatsServer server)
    {
        await using var log = await ReaderAsync(server);
        var state = await log.StateAsync(CancellationToken.None);
        var bodies = new List<string>();
        for (long sequence = 1; sequence <= state.LastSequence; sequence++)
        {
            var record = await log.GetAsync(sequence, CancellationToken.None);
            bodies.Add(record is null ? "(none)" : Encoding.UTF8.GetString(record.Payload));
        }

        return [.. bodies];
    }

    private static async Task<long> LastSequenceAsync(NatsLog log) => (await log.StateAsync(CancellationToken.None)).LastSequence;

    [Test]
    [CancelAfter(60_000)]
    public async Task Publish_Tutorial_PublishesEachEntryAsItsMessageInOrder_AndExits0AfterTheClose()
    {
        await using var server = await NatsServer.StartAsync();

        var (code, stdout, stderr) = await BuiltProgram.RunAsync("publish", "--nats", server.Url, "--scenario", TutorialPath, "--speed", "100");

        Assert.That((code, stderr), Is.EqualTo((0, "")), stdout);
        Assert.That(await BodiesAsync(server), Is.EqualTo(TutorialMessages));
        Assert.That(stdout, Does.Contain("INF] The scenario has ended: 4 messages published\n"));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Publish_StreamHoldingAnEarlierRun_BeginsWithAReset()
    {
        await using var server = await NatsServer.StartAsync();
        Assert.That((await BuiltProgram.RunAsync("publish", "--nats", server.Url, "--scenario", TutorialPath, "--speed", "100")).ExitCode, Is.EqualTo(0));

        var (code, _, stderr) = await BuiltProgram.RunAsync("publish", "--nats", server.Url, "--scenario", TutorialPath, "--speed", "100");

        Assert.That((code, stderr), Is.EqualTo((0, "")));
        Assert.That(await BodiesAsync(server), Is.EqualTo(TutorialMessages.Append(Reset).Concat(TutorialMessages)));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Publish_Repeating_RunsOnWithAResetAtEachCycleStart_AndSigtermStopsItWithExit0()
    {
        await using var server = await NatsServer.StartAsync();
        string scenario = await WriteScenarioAsync(Repeating);
        await using var reader = await ReaderAsync(server);
        await using var feeder = BuiltProgram.Start("publish", "--nats", server.Url, "--scenario", scenario, "--speed", "20");
        await Eventually.ValueAsync(() => LastSequenceAsync(reader), last => last >= 14, TimeSpan.FromSeconds(30), "three cycles begun");

        feeder.Signal(Signals.Sigterm);

        Assert.That(await feeder.WaitForExitAsync(TimeSpan.FromSeconds(20)), Is.EqualTo(0), feeder.Stderr);
        Assert.That(feeder.Stderr, Is.Empty);
        string[] bodies = await BodiesAsync(server);
        var expected = Enumerable.Repeat(RepeatingCycle.Prepend(Reset), 100).SelectMany(c => c).Skip(1).Take(bodies.Length);
        Assert.That(bodies, Is.EqualTo(expected));
        Assert.That(feeder.Stdout, Does.Contain($"INF] Stopped: {bodies.Length} messages published\n"));
        Assert.That(feeder.Stdout, Does.Contain("INF] Cycle 2 begins: reset published as sequence 6\n").And.Contain("INF] Cycle 3 begins: reset published as sequence 12\n"));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Publish_NoServerThere_OneLineAndExit1()
    {
        int port = FreePort.Reserve();

        var (code, stdout, stderr) = await BuiltProgram.RunAsync("publish", "--nats", $"nats://127.0.0.1:{port}", "--scenario", TutorialPath);

        Assert.That((code, stdout, stderr), Is.EqualTo((1, "", $"sseflights publish: cannot connect to NATS at nats://127.0.0.1:{port}: connection refused\n")));
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task Publish_ServerGoesAwayMidRun_OneLineAndExit1()
    {
        await using var server = await NatsServer.StartAsync();
        string scenario = await WriteScenarioAsync(Repeating);
        await using (var reader = await ReaderAsync(server))
        {
            await using var feeder = BuiltProgram.Start("publish", "--nats", server.Url, "--scenario", scenario, "--speed", "20");
            await Eventually.ValueAsync(() => LastSequenceAsync(reader), last => last >= 3, TimeSpan.FromSeconds(30), "three messages");

            await server.StopAsync();

            Assert.That(await feeder.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.EqualTo(1), feeder.Stdout);
            Assert.That(feeder.Stderr, Is.EqualTo($"sseflights publish: publishing to sseflights.events at {server.Url} failed: the server did not answer\n"));
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Publish_ServerWithoutJetStream_OneLineAndExit1()
    {
        await using var server = await NatsServer.StartAsync(jetStream: false);

        var (code, _, stderr) = await BuiltProgram.RunAsync("publish", "--nats", server.Url, "--scenario", TutorialPath);

        Assert.That((code, stderr), Is.EqualTo((1, $"sseflights publish: cannot open the stream sseflights at {server.Url}: JetStream did not answer (is the server running with -js?)\n")));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Publish_InvalidScenario_OneLineAndExit1()
    {
        string scenario = await WriteScenarioAsync("""{ "name": "x", "flights": [], "timeline": [ { "at": 1, "event": "flightRemoval", "data": { "flight": "Z9" } } ] }""");

        var (code, stdout, stderr) = await BuiltProgram.RunAsync("publish", "--nats", "nats://127.0.0.1:4222", "--scenario", scenario);

        Assert.That((code, stdout), Is.EqualTo((1, "")));
        Assert.That(stderr, Is.EqualTo($"sseflights publish: {scenario}:1:92: timeline[0].data.flight: flight 'Z9' is not on the board at that point (the board is empty)\n"));
    }

    [TestCase(new[] { "--scenario", "s.json" }, "publish needs --nats URL, the NATS server to publish to (e.g. nats://localhost:4222)")]
    [TestCase(new[] { "--nats", "nats://127.0.0.1:4222" }, "publish needs --scenario FILE, the scenario to play")]
    [TestCase(new[] { "--nats", "http://127.0.0.1:4222", "--scenario", "s.json" }, "--nats must be a NATS server URL such as nats://localhost:4222 (or several, separated by commas); got 'http://127.0.0.1:4222'")]
    [TestCase(new[] { "--nats", "nats://feeder:s3cret@127.0.0.1:4222/x", "--scenario", "s.json" }, "--nats must be a NATS server URL such as nats://localhost:4222 (or several, separated by commas); got 'nats://***@127.0.0.1:4222/x'")]
    [TestCase(new[] { "--nats", "nats://127.0.0.1:4222", "--nats-stream", "board.live", "--scenario", "s.json" }, "--nats-stream must be 1 to 64 letters, digits, '-' or '_' (it names the stream, its subject NAME.events and the bucket NAME-board); got 'board.live'")]
    [TestCase(new[] { "--nats", "nats://127.0.0.1:4222", "--nats-max-msgs", "0", "--scenario", "s.json" }, "--nats-max-msgs must be a whole number from 1 to 1000000000; got '0'")]
    [TestCase(new[] { "--nats", "nats://127.0.0.1:4222", "--scenario", "s.json", "--speed", "0" }, "--speed must be a number greater than 0 (at most 1000000); got '0'")]
    [CancelAfter(30_000)]
    public async Task Publish_BadArgument_OneLineAndExit2(string[] args, string message)
    {
        var (code, stdout, stderr) = await BuiltProgram.RunAsync(["publish", .. args]);

        Assert.That((code, stdout, stderr), Is.EqualTo((2, "", $"sseflights: {message} (see --help)\n")));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Publish_OwnStreamName_UsesItsSubjectAndBound()
    {
        await using var server = await NatsServer.StartAsync();

        var (code, _, stderr) = await BuiltProgram.RunAsync("publish", "--nats", server.Url, "--nats-stream", "gate-7", "--nats-max-msgs", "3", "--scenario", TutorialPath, "--speed", "100");

        Assert.That((code, stderr), Is.EqualTo((0, "")));
        await using var log = await NatsLog.ConnectAsync(new NatsLogOptions(server.Url, "gate-7", null, 1000), TimeProvider.System, Serilog.Core.Logger.None, CancellationToken.None);
        Assert.That(await log.EnsureStreamAsync(CancellationToken.None), Is.EqualTo(new LogStreamState(2, 4, 3, 3)));
        Assert.That(Encoding.UTF8.GetString((await log.GetAsync(4, CancellationToken.None))!.Payload), Is.EqualTo(TutorialMessages[3]));
    }
}
