using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Readme;

/// <summary>
/// README's commands work as written. Every command README shows that talks to a server (curl or
/// sseflights) is run here, as README shows it, against a server started as README says, and its
/// answer is checked against what README shows (exactly, where it shows output) or implies. Only the
/// ports are made free ones (see <see cref="ReadmeSandbox"/>).
/// </summary>
public partial class ReadmeCommandTests
{
    private const string TutorialStream = "curl -N http://localhost:5000/events";
    private const string TutorialAfterClose = "curl -i http://localhost:5000/events";
    private const string ResumeByHeader = "curl -N -H 'Last-Event-ID: 1' http://localhost:5000/events";
    private const string ResumeByQuery = "curl -N 'http://localhost:5000/events?lastEventId=1'";
    private const string InstalledTool = "sseflights --port 5000 --scenario scenario.json";
    private const string BadPort = "sseflights --port 70000";
    private const string BusyPort = "sseflights --port 5000      # while something else has it";
    private const string ReplicaA = "sseflights --port 5001 --scenario board.json --epoch 2026-12-01T08:00:00Z";
    private const string ReplicaB = "sseflights --port 5002 --scenario board.json --epoch 2026-12-01T08:00:00Z   # started an hour later: the same stream";
    private const string DrainingReplica = "sseflights --port 5001 --scenario board.json --epoch 2026-12-01T08:00:00Z --drain 10 &   # each replica, started with --drain";
    private const string StopReplica = "kill -TERM %1 && wait %1                                                                    # stop one: its streams end over 10 s, then it exits 0";
    private const string RestartedReplica = "sseflights --port 5001 --scenario board.json --epoch 2026-12-01T08:00:00Z --drain 10 &   # start it again on its port and epoch, then the next";
    private const string Validate = "sseflights validate typo.json";
    private const string ControlServer = "sseflights --control --control-token demo &";
    private const string ControlStream = "curl -N http://localhost:5000/events          # in a second terminal: the stream";
    private const string ControlInject = """curl -H "Authorization: Bearer demo" -d '{"event": "flightStateUpdate", "data": {"flight": "A123", "state": "diverted"}}' http://localhost:5000/api/control/events""";
    private const string ControlState = """curl -H "Authorization: Bearer demo" http://localhost:5000/api/control""";
    private const string ControlPause = """curl -d '' -H "Authorization: Bearer demo" http://localhost:5000/api/control/pause""";
    private const string ControlResume = """curl -d '' -H "Authorization: Bearer demo" http://localhost:5000/api/control/resume""";
    private const string ControlFaults = """curl -d '{"status": 503, "count": 2}' -H "Authorization: Bearer demo" http://localhost:5000/api/control/faults""";
    private const string ControlRestart = """curl -d '' -H "Authorization: Bearer demo" http://localhost:5000/api/control/restart""";
    private const string RecordToEnd = "sseflights record http://localhost:5000/events --output recorded.json                               # until the stream ends";
    private const string RecordForSeconds = """sseflights record http://localhost:5000/events -H "Authorization: Bearer abc" --duration 5 > recorded.json   # any SSE URL; -H for one that needs it""";
    private const string RecordEvents = "sseflights record http://localhost:5000/events --events 3 -o recorded.json                          # the first 3 events";
    private const string ClientCase = "sseflights --scenario scenarios/clients/id-with-nul.json --log-level debug";
    private const string MetricsHead = "curl -s http://localhost:5000/metrics | head -6";

    private const string LiveLog = "nats-server -js -a 127.0.0.1 -p 4222 -sd nats-store &                                      # the log: JetStream on, its store in ./nats-store";
    private const string LiveReplicaA = "sseflights --port 5001 --scenario board.json --nats nats://127.0.0.1:4222 --control --control-token demo &";
    private const string LiveReplicaB = "sseflights --port 5002 --scenario board.json --nats nats://127.0.0.1:4222 --control --control-token demo &";
    private const string LiveWatch = "curl -N http://localhost:5002/events                          # in a second terminal: replica 2's stream";
    private const string LivePush = """curl -H "Authorization: Bearer demo" -d '{"event": "flightStateUpdate", "data": {"flight": "I768", "state": "landed"}}' http://localhost:5001/api/control/events""";
    private const string LivePublish = "sseflights publish --nats nats://127.0.0.1:4222 --scenario scenarios/tutorial.json --speed 4";

    /// <summary>How README starts the tutorial's story (dotnet run of this same program).</summary>
    private const string TutorialServer = "sseflights --scenario scenarios/tutorial.json";

    private static readonly string[] Covered =
    [
        TutorialStream, TutorialAfterClose, ResumeByHeader, ResumeByQuery, InstalledTool, BadPort, BusyPort, ReplicaA, ReplicaB,
        DrainingReplica, RestartedReplica, Validate, ControlServer, ControlStream, ControlInject, ControlState, ControlPause,
        ControlResume, ControlFaults, ControlRestart, RecordToEnd, RecordForSeconds, RecordEvents, ClientCase, MetricsHead,
        LiveReplicaA, LiveReplicaB, LiveWatch, LivePush, LivePublish,
        .. CoveredForTesting,
    ];

    [Test]
    public void EveryCommandThatTalksToAServer_IsRunByATestHere()
    {
        var shown = ReadmeCommands.TalkingToAServer().Select(c => c.Text).Distinct().ToList();

        Assert.That(shown.Except(Covered), Is.Empty, "commands README shows that no test here runs");
        Assert.That(Covered.Where(c => c.StartsWith("curl", StringComparison.Ordinal) || c.StartsWith("sseflights", StringComparison.Ordinal)).Except(shown), Is.Empty, "commands tested here that README no longer shows");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task TutorialStory_CurlShowsExactlyTheTranscript_ThenThe204_AndResumesFromAnId()
    {
        await using var sandbox = new ReadmeSandbox();
        await sandbox.StartServerAsync(TutorialServer);
        var stream = ReadmeCommands.Find(TutorialStream);

        var (code, stdout, _) = await sandbox.RunAsync(stream.Text, TimeSpan.FromSeconds(30));

        Assert.That(code, Is.EqualTo(0));
        Assert.That(stdout, Is.EqualTo(stream.ShownOutput!.TrimEnd('\n') + "\n\n"), "the whole story, byte for byte, ending with the close");

        var afterClose = ReadmeCommands.Find(TutorialAfterClose);
        var (_, head, _) = await sandbox.RunAsync(afterClose.Text);
        Assert.That(head.Replace("\r\n", "\n").Split('\n')[0], Is.EqualTo(afterClose.ShownOutput!.Trim()));

        // Resuming after id 1 gets exactly what came after it, the close last.
        string frames = stdout[stdout.IndexOf("event: flightStateUpdate\ndata: {\"flight\":\"I768\",\"state\":\"landed\"}", StringComparison.Ordinal)..];
        foreach (string resume in new[] { ResumeByHeader, ResumeByQuery })
        {
            var (resumed, resent, _) = await sandbox.RunAsync(ReadmeCommands.Find(resume).Text);
            Assert.That((resumed, resent), Is.EqualTo((0, "retry: 3000\n\n" + frames)), resume);
        }
    }

    [Test]
    [CancelAfter(300_000)]
    public async Task RunTheBoard_DotnetRunFromAFreshCopyOfTheSources_PlaysTheBundledScenario()
    {
        string command = ReadmeCommands.All()[0].Text;
        Assert.That(command, Does.StartWith("dotnet run --project SseFlights"), "README's first command runs the board");
        using var tree = Packaging.SourceTree.Copy("readme-run");
        int port = FreePort.Reserve();
        string line = command.Split('#')[0].Trim();

        // README's default port 5000 made a free one, after dotnet run's "--".
        await using var program = BuiltProgram.StartExecutable("/bin/bash", tree.Root, ["-c", $"exec {line} -- --port {port}"]);
        await Readiness.RequireAsync(program, port, TimeSpan.FromMinutes(4));

        Assert.That(program.Stdout, Does.Contain("scenario Morning arrivals: 6 flights"));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task InstalledTool_ServesThePageAndTheStream()
    {
        await using var sandbox = new ReadmeSandbox();
        await sandbox.StartServerAsync(ReadmeCommands.Find(InstalledTool).Text);

        var (code, page, _) = await sandbox.RunAsync("curl -s http://localhost:5000/");

        Assert.That(code, Is.EqualTo(0));
        Assert.That(page, Does.Contain("<title>Arrivals · SseFlights</title>"));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task BadAndBusyPorts_PrintTheLineReadmeShows()
    {
        await using var sandbox = new ReadmeSandbox();
        var bad = ReadmeCommands.Find(BadPort);
        var (code, stdout, stderr) = await sandbox.RunAsync(bad.Text);
        Assert.That((code, stdout + stderr), Is.EqualTo((2, bad.ShownOutput!.Trim() + "\n")));

        var busy = ReadmeCommands.Find(BusyPort);
        using var holder = new TcpListener(IPAddress.Loopback, sandbox.Port());
        holder.Start();
        (code, stdout, stderr) = await sandbox.RunAsync(busy.Text);
        Assert.That((code, stdout + stderr), Is.EqualTo((1, sandbox.Local(busy.ShownOutput!.Trim()) + "\n")));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Validate_TheTypoJsonReadmeShows_PrintsTheErrorsReadmeShows()
    {
        await using var sandbox = new ReadmeSandbox();
        sandbox.Write("typo.json", ReadmeCommands.BlockAfter("With this `typo.json`:", "json"));
        var validate = ReadmeCommands.Find(Validate);

        var (code, stdout, stderr) = await sandbox.RunAsync(validate.Text);

        Assert.That((code, stdout + stderr), Is.EqualTo((1, validate.ShownOutput!.TrimEnd('\n') + "\n")));
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task Replicas_SameFileAndEpoch_ServeTheSameStream()
    {
        await using var sandbox = new ReadmeSandbox();
        sandbox.Write("board.json", File.ReadAllText(Path.Combine(Scenarios.RepoRoot, "scenario.json")));
        await sandbox.StartServerAsync(ReadmeCommands.Find(ReplicaA).Text);
        await sandbox.StartServerAsync(ReadmeCommands.Find(ReplicaB).Text);

        using var http = new HttpClient();
        var a = await HealthAsync(http, sandbox.Port(5001));
        var b = await HealthAsync(http, sandbox.Port(5002));

        Assert.That(b.GetProperty("epoch").GetString(), Is.EqualTo(a.GetProperty("epoch").GetString()).And.EqualTo("2026-12-01T08:00:00Z"));
        Assert.That(b.GetProperty("scenarioSha256").GetString(), Is.EqualTo(a.GetProperty("scenarioSha256").GetString()));

        // The same frame for the same id on both: resume each from the same id and compare the first frame resent.
        long id = Math.Min(a.GetProperty("lastEventId").GetInt64(), b.GetProperty("lastEventId").GetInt64()) - 1;
        string fromA = await FirstFrameAfterAsync(http, sandbox.Port(5001), id);
        string fromB = await FirstFrameAfterAsync(http, sandbox.Port(5002), id);
        Assert.That(fromB, Is.EqualTo(fromA).And.Contains($"id: {id + 1}\n"));
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task RollingRestart_AReplicaStoppedWithDrain_EndsItsStreamsOverTheWindow_ExitsZero_AndStartsAgain()
    {
        await using var sandbox = new ReadmeSandbox();

        // The bundled board without its drops: a drop inside the drain's window would end every stream left at once.
        var board = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(Scenarios.RepoRoot, "scenario.json")))!;
        var timeline = board["timeline"]!.AsArray();
        foreach (var drop in timeline.Where(e => e!["action"] is not null).ToList())
        {
            timeline.Remove(drop);
        }

        sandbox.Write("board.json", board.ToJsonString());
        await using var shell = sandbox.Shell();
        int port = sandbox.Port(5001);

        await shell.TypeAsync(ReadmeCommands.Find(DrainingReplica).Text);
        await WaitServingAsync(port);
        var clients = new List<RawSseClient>();
        for (int i = 0; i < 20; i++)
        {
            clients.Add(await RawSseClient.ConnectAsync(port));
        }

        await Eventually.TrueAsync(() => clients.All(c => c.Ids.Count > 0), TimeSpan.FromSeconds(10), "every stream's snapshot");
        var stopped = System.Diagnostics.Stopwatch.StartNew();
        int status = await shell.RunAsync(ReadmeCommands.All().First(c => c.Text == StopReplica).Text, TimeSpan.FromSeconds(30));

        var ends = clients.Select(c => System.Diagnostics.Stopwatch.GetElapsedTime(clients.Min(x => x.EndedAt), c.EndedAt).TotalSeconds).ToList();
        Assert.That(status, Is.EqualTo(0), "wait %1: the replica's exit status\n" + shell.Output);
        Assert.That(clients.All(c => c.Ended && c.CleanEnd), Is.True, "every stream ended cleanly");
        Assert.That(ends.Max(), Is.GreaterThan(8), "the ends spread over the 10 s drain");
        Assert.That(stopped.Elapsed, Is.LessThan(TimeSpan.FromSeconds(13)), "the stop took the drain and little more");

        await shell.TypeAsync(ReadmeCommands.Find(RestartedReplica).Text);
        await WaitServingAsync(port);
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task ControlSession_InjectsAnEventThatTheStreamShows_AndEveryOtherControlCallDoesWhatItSays()
    {
        await using var sandbox = new ReadmeSandbox();
        await sandbox.StartServerAsync(ReadmeCommands.Find(ControlServer).Text);
        var watch = ReadmeCommands.Find(ControlStream);

        // The snapshot's id is the board's latest event's: 0 within the scenario's first second, more on a busy machine.
        string output = await sandbox.ReadUntilAsync(watch.Text, o => SnapshotId().IsMatch(o), TimeSpan.FromSeconds(10));
        var snapshotEnd = SnapshotId().Match(output);
        string opening = output[..(snapshotEnd.Index + snapshotEnd.Length)];
        Assert.That(opening, Does.Match(Wildcards(watch.ShownOutput!.TrimEnd('\n') + "\n\n").Replace(Regex.Escape("id: 0"), @"id: \d+")), "the stream's opening, with [...] for the board");

        // The stream in its own terminal, reading until the injected event has come.
        var stream = sandbox.ReadUntilAsync(watch.Text, o => o.Contains("\"diverted\"", StringComparison.Ordinal) && o.EndsWith("\n\n", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        await Eventually.ValueAsync(() => ClientsAsync(sandbox), n => n == 1, TimeSpan.FromSeconds(10), "the stream to be open");
        var inject = ReadmeCommands.Find(ControlInject);
        var (code, created, _) = await sandbox.RunAsync(inject.Text);
        var id = IdAnswer().Match(created);
        Assert.That((code, id.Success), Is.EqualTo((0, true)), created);
        Assert.That(inject.ShownOutput!.Split('#')[0].Trim(), Does.Match(IdAnswer().ToString()), "README shows the same shape of answer");

        string shown = ReadmeCommands.BlockAfter("and in the `curl -N` terminal:", "text").Replace("id: 1", $"id: {id.Groups[1].Value}");
        Assert.That(await stream, Does.Contain(shown + "\n"));

        Assert.That(await ControlAsync(sandbox, ControlState), Does.Contain("\"state\":\"playing\""));
        Assert.That(await ControlAsync(sandbox, ControlPause), Is.Empty, "204: curl prints nothing (a 411 would print its page)");
        Assert.That(await ControlAsync(sandbox, ControlState), Does.Contain("\"state\":\"paused\""));
        Assert.That(await ControlAsync(sandbox, ControlResume), Is.Empty);
        Assert.That(await ControlAsync(sandbox, ControlState), Does.Contain("\"state\":\"playing\""));
        Assert.That(await ControlAsync(sandbox, ControlFaults), Is.Empty);
        foreach (int attempt in new[] { 1, 2, 3 })
        {
            var (_, status, _) = await sandbox.RunAsync("curl -s -o /dev/null -w '%{http_code}' -m 2 http://localhost:5000/events");
            Assert.That(status, Is.EqualTo(attempt <= 2 ? "503" : "200"), $"GET /events number {attempt} after the fault");
        }

        long before = (await HealthAsync(new HttpClient(), sandbox.Port())).GetProperty("lastEventId").GetInt64();
        Assert.That(await ControlAsync(sandbox, ControlRestart), Is.Empty);
        Assert.That((await HealthAsync(new HttpClient(), sandbox.Port())).GetProperty("lastEventId").GetInt64(), Is.GreaterThan(before), "the restart's snapshot takes a fresh id");
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task Record_EachWayReadmeShows_WritesAScenarioThatValidates()
    {
        await Task.WhenAll(RecordAsync(RecordToEnd, "closedConnection", 4), RecordAsync(RecordForSeconds, null, null), RecordAsync(RecordEvents, null, 3));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task ClientCase_WithDebugLogging_LogsEachStreamRequestWithItsClientName()
    {
        await using var sandbox = new ReadmeSandbox();
        var server = await sandbox.StartServerAsync(ReadmeCommands.Find(ClientCase).Text);

        await sandbox.RunAsync("curl -s -m 2 http://localhost:5000/events?client=mine");

        await Eventually.TrueAsync(() => server.Stdout.Contains("asked for the stream as client mine", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the request's debug line");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Metrics_WithThreeStreamsOpen_PrintsTheLinesReadmeShows()
    {
        await using var sandbox = new ReadmeSandbox();
        await sandbox.StartServerAsync("sseflights");
        var streams = new List<RawSseClient>();
        for (int i = 0; i < 3; i++)
        {
            streams.Add(await RawSseClient.ConnectAsync(sandbox.Port()));
        }

        await Eventually.ValueAsync(() => ClientsAsync(sandbox), n => n == 3, TimeSpan.FromSeconds(10), "three open streams");
        var metrics = ReadmeCommands.Find(MetricsHead);

        var (code, stdout, _) = await sandbox.RunAsync(metrics.Text);

        Assert.That((code, stdout), Is.EqualTo((0, metrics.ShownOutput!.TrimEnd('\n') + "\n")));
        foreach (var stream in streams)
        {
            await stream.DisposeAsync();
        }
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task LiveDataAcrossReplicas_AnEventPushedThroughOneReplicaShowsOnTheOther_ThenTheFeedersStoryToTheClose()
    {
        await using var sandbox = new ReadmeSandbox();
        sandbox.Write("board.json", File.ReadAllText(Path.Combine(Scenarios.RepoRoot, "scenario.json")));
        await using var shell = sandbox.Shell();
        await shell.TypeAsync(ReadmeCommands.Find(LiveLog).Text);
        await WaitListeningAsync(sandbox.Port(4222));
        await sandbox.StartServerAsync(ReadmeCommands.Find(LiveReplicaA).Text);
        await sandbox.StartServerAsync(ReadmeCommands.Find(LiveReplicaB).Text);

        // Replica 2's stream in its own terminal, read to the close the feeder's story ends with.
        var stream = sandbox.ReadUntilAsync(ReadmeCommands.Find(LiveWatch).Text, o => o.Contains("event: closedConnection", StringComparison.Ordinal) && o.EndsWith("\n\n", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        await Eventually.ValueAsync(() => ClientsAsync(sandbox, 5002), n => n == 1, TimeSpan.FromSeconds(10), "replica 2's stream to be open");
        var push = ReadmeCommands.Find(LivePush);
        var (pushed, created, _) = await sandbox.RunAsync(push.Text);
        Assert.That((pushed, created), Is.EqualTo((0, push.ShownOutput!.Split('#')[0].Trim())), "the answer README shows");

        var publish = await sandbox.RunAsync(ReadmeCommands.Find(LivePublish).Text, TimeSpan.FromSeconds(40));
        string seen = await stream;

        Assert.That(publish.Code, Is.EqualTo(0), publish.Stderr);
        Assert.That(seen, Does.Contain(ReadmeCommands.BlockAfter("and replica 2's stream shows it:", "text") + "\n"));
        var frames = Regex.Matches(seen, "event: (\\w+)\n(?:data:.*\n)+id: (\\d+)\n").Select(m => (m.Groups[1].Value, long.Parse(m.Groups[2].Value))).ToList();
        Assert.That(frames, Is.EqualTo(new[]
        {
            ("snapshot", 0L), ("flightStateUpdate", 1L), ("snapshot", 2L), ("flightStateUpdate", 3L), ("flightStateUpdate", 4L), ("flightRemoval", 5L), ("closedConnection", 6L),
        }), "as README tells it: the push, then the reset, landing, landed, removed and the close");
        foreach (int replica in new[] { 5001, 5002 })
        {
            var (_, status, _) = await sandbox.RunAsync($"curl -s -o /dev/null -w '%{{http_code}}' http://localhost:{replica}/events");
            Assert.That(status, Is.EqualTo("204"), $"replica on {replica} after the close");
        }
    }

    private static async Task RecordAsync(string text, string? lastEvent, int? entries)
    {
        await using var sandbox = new ReadmeSandbox();
        await sandbox.StartServerAsync(TutorialServer);

        var (code, _, stderr) = await sandbox.RunAsync(ReadmeCommands.Find(text).Text, TimeSpan.FromSeconds(40));
        var (valid, summary, errors) = await sandbox.RunAsync("sseflights validate recorded.json");

        Assert.That((code, valid), Is.EqualTo((0, 0)), $"{text}\n{stderr}{summary}{errors}");
        using var recorded = JsonDocument.Parse(sandbox.Read("recorded.json"));
        var timeline = recorded.RootElement.GetProperty("timeline").EnumerateArray().ToList();
        if (entries is { } count)
        {
            Assert.That(timeline, Has.Count.EqualTo(count), text);
        }

        if (lastEvent is not null)
        {
            Assert.That(timeline[^1].GetProperty("event").GetString(), Is.EqualTo(lastEvent), text);
        }
    }

    private static async Task<string> ControlAsync(ReadmeSandbox sandbox, string text)
    {
        var (code, stdout, stderr) = await sandbox.RunAsync(ReadmeCommands.Find(text).Text);
        Assert.That(code, Is.EqualTo(0), $"{text}\n{stderr}");
        return stdout;
    }

    private static async Task<int> ClientsAsync(ReadmeSandbox sandbox, int readmePort = 5000) =>
        (await HealthAsync(new HttpClient(), sandbox.Port(readmePort))).GetProperty("clients").GetInt32();

    /// <summary>Waits until something accepts connections on <paramref name="port"/> (a server a shell started in the background).</summary>
    private static Task WaitListeningAsync(int port) =>
        Eventually.ValueAsync(
            async () =>
            {
                using var probe = new TcpClient();
                try
                {
                    await probe.ConnectAsync(IPAddress.Loopback, port);
                    return true;
                }
                catch (SocketException)
                {
                    return false;
                }
            },
            ok => ok,
            Readiness.DefaultTimeout,
            $"a listener on port {port}");

    private static async Task<JsonElement> HealthAsync(HttpClient http, int port) =>
        JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/healthz")).RootElement.Clone();

    /// <summary>Waits until something answers /healthz on <paramref name="port"/> (a server a shell started in the background).</summary>
    private static Task WaitServingAsync(int port) =>
        Eventually.ValueAsync(
            async () =>
            {
                try
                {
                    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
                    return (await http.GetAsync($"http://127.0.0.1:{port}/healthz")).StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            ok => ok,
            Readiness.DefaultTimeout,
            $"a server on port {port}");

    private static async Task<string> FirstFrameAfterAsync(HttpClient http, int port, long id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/events");
        request.Headers.Add("Last-Event-ID", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        string text = "";
        while (!text.Contains($"id: {id + 1}\n", StringComparison.Ordinal))
        {
            text += (await reader.ReadLineAsync()) + "\n";
        }

        return text[text.IndexOf("event:", StringComparison.Ordinal)..];
    }

    /// <summary>README's shown output as a pattern: "[...]" stands for whatever the board holds.</summary>
    private static string Wildcards(string shown) => "^" + Regex.Escape(shown).Replace(@"\[\.\.\.]", ".*") + "$";

    [GeneratedRegex(@"id: \d+\n\n")]
    private static partial Regex SnapshotId();

    [GeneratedRegex(@"^\{""id"":(\d+)\}$")]
    private static partial Regex IdAnswer();
}
