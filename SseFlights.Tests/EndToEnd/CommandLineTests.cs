using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.EndToEnd;

/// <summary>The built program, run as a user runs it: exit codes, stderr, signals.</summary>
public class CommandLineTests
{
    private const int Sigint = 2;

    [TestCase("--port", "abc", "sseflights: --port must be a whole number from 1 to 65535; got 'abc' (see --help)")]
    [TestCase("--port", "70000", "sseflights: --port must be a whole number from 1 to 65535; got '70000' (see --help)")]
    [TestCase("--speed", "0", "sseflights: --speed must be a number greater than 0 (at most 1000000); got '0' (see --help)")]
    [TestCase("--heartbeat", "-1", "sseflights: --heartbeat must be a number of seconds greater than 0 (at most 3600); got '-1' (see --help)")]
    [TestCase("--history", "many", "sseflights: --history must be a whole number from 0 to 1000000; got 'many' (see --help)")]
    [TestCase("--log-format", "xml", "sseflights: --log-format must be text or json; got 'xml' (see --help)")]
    [TestCase("--log-level", "loud", "sseflights: --log-level must be one of Verbose, Debug, Information, Warning, Error, Fatal; got 'loud' (see --help)")]
    [TestCase("--cors-origin", "example.com/x", "sseflights: --cors-origin must be an origin such as https://example.com or http://localhost:3000 (no path), or '*'; got 'example.com/x' (see --help)")]
    [TestCase("kit --port", "0", "sseflights: --port must be a whole number from 1 to 65535; got '0' (see --help)")]
    [TestCase("kit --port", "abc", "sseflights: --port must be a whole number from 1 to 65535; got 'abc' (see --help)")]
    [TestCase("kit --host", "a/b", "sseflights: --host must be a host name or address such as localhost, 127.0.0.1 or 0.0.0.0; got 'a/b' (see --help)")]
    [TestCase("kit --speed", "2", "sseflights: Unrecognized command or argument '--speed'.; Unrecognized command or argument '2'. (see --help)")]
    [CancelAfter(30_000)]
    public async Task BadOptionValue_PrintsOneLineAndExits2(string option, string value, string expected)
    {
        var (code, stdout, stderr) = await BuiltProgram.RunAsync([.. option.Split(' '), value]);
        Assert.That((code, stderr, stdout), Is.EqualTo((2, expected + "\n", "")));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task WritePathSwitch_UnknownValue_OneLineAndExit2()
    {
        await using var program = BuiltProgram.StartExecutable(
            BuiltProgram.ExecutablePath, Directory.CreateTempSubdirectory("sseflights-run-").FullName, ["--port", "5999"],
            new Dictionary<string, string> { ["SSEFLIGHTS_WRITE_PATH"] = "turbo" });

        int code = await program.WaitForExitAsync(TimeSpan.FromSeconds(20));

        Assert.That((code, program.Stderr), Is.EqualTo((2, "sseflights: SSEFLIGHTS_WRITE_PATH must be 'direct' or 'listener'; got 'turbo'\n")));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task MissingScenario_PrintsOneLineAndExits1()
    {
        var (code, _, stderr) = await BuiltProgram.RunAsync("--scenario", "nope.json");
        Assert.That((code, stderr), Is.EqualTo((1, "sseflights: nope.json: file not found\n")));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task MissingWebRoot_PrintsOneLineAndExits1()
    {
        var (code, _, stderr) = await BuiltProgram.RunAsync("--wwwroot", "/nonexistent/www");
        Assert.That((code, stderr), Is.EqualTo((1, "sseflights: --wwwroot: the folder '/nonexistent/www' does not exist\n")));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task WebRootOption_ServesThatFolderInsteadOfTheBundledPage()
    {
        string root = Directory.CreateTempSubdirectory("sseflights-www-").FullName;
        await File.WriteAllTextAsync(Path.Combine(root, "index.html"), "<!doctype html><title>mine</title>");
        int port = FreePort.Reserve();
        await using var program = BuiltProgram.Start("--port", port.ToString(), "--wwwroot", root);
        await Readiness.RequireAsync(program, port);
        using var http = new HttpClient();
        Assert.That(await http.GetStringAsync($"http://localhost:{port}/"), Is.EqualTo("<!doctype html><title>mine</title>"));
        program.Signal(Signals.Sigterm);
        Assert.That(await program.WaitForExitAsync(TimeSpan.FromSeconds(5)), Is.EqualTo(0));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task InvalidScenario_ListsEveryErrorAndExits1()
    {
        string file = Path.Combine(Directory.CreateTempSubdirectory().FullName, "bad.json");
        await File.WriteAllTextAsync(file, """
            { "name": "Bad", "flights": [], "timeline": [
              { "at": 1, "event": "flightRemoval", "data": { "flight": "X1" } },
              { "at": 0, "event": "closedConnection" } ] }
            """);
        var (code, _, stderr) = await BuiltProgram.RunAsync("--scenario", file);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr, Is.EqualTo(
            "sseflights: the scenario has 2 errors:\n"
            + $"  {file}:2:50: timeline[0].data.flight: flight 'X1' is not on the board at that point (the board is empty)\n"
            + $"  {file}:3:5: timeline[1].at: 0 is earlier than the previous entry's 1; entries must be in time order\n"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Validate_BundledAndTutorialScenarios_PrintASummaryAndExit0()
    {
        var (code, stdout, _) = await BuiltProgram.RunAsync("validate", Path.Combine(Scenarios.RepoRoot, "scenarios", "tutorial.json"));
        Assert.That(code, Is.EqualTo(0));
        Assert.That(stdout, Does.EndWith(
            "tutorial.json: OK\n  name:          The tutorial's 12 seconds\n  flights:       6\n  entries:       4 (4 events, 0 drops)\n"
            + "  length:        12 s, played once\n  custom events: none\n"));

        (code, stdout, _) = await BuiltProgram.RunAsync("validate", Path.Combine(Scenarios.RepoRoot, "scenario.json"));
        Assert.That(code, Is.EqualTo(0));
        Assert.That(stdout, Does.Contain("  length:        96 s cycle, repeating\n  custom events: gateChange, announcement\n"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Validate_BadScenario_PrintsEveryErrorAndExits1()
    {
        string file = Path.Combine(Directory.CreateTempSubdirectory().FullName, "typo.json");
        await File.WriteAllTextAsync(file, """{ "name": "T", "flights": [], "timelime": [] }""");
        var (code, _, stderr) = await BuiltProgram.RunAsync("validate", file);
        Assert.That((code, stderr), Is.EqualTo((1,
            $"{file}: 2 errors\n  {file}:1:1: the scenario: missing required property 'timeline' (an array of timeline entries)\n"
            + $"  {file}:1:31: timelime: unknown property 'timelime'; did you mean 'timeline'?\n")));
    }

    [TestCase("")]
    [TestCase("kit")]
    [CancelAfter(30_000)]
    public async Task BusyPort_SaysSoAndExits1(string command)
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        int port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var (code, _, stderr) = await BuiltProgram.RunAsync([.. command.Length == 0 ? [] : new[] { command }, "--port", port.ToString()]);
        Assert.That((code, stderr), Is.EqualTo((1, $"sseflights: port {port} is already in use; choose another with --port\n")));
    }

    [TestCase(Signals.Sigterm)]
    [TestCase(Sigint)]
    [CancelAfter(60_000)]
    public async Task Signal_EndsOpenStreamsCleanlyAndExits0(int signal)
    {
        int port = FreePort.Reserve();
        await using var program = BuiltProgram.Start("--port", port.ToString());
        await Readiness.RequireAsync(program, port);
        using var http = new HttpClient { BaseAddress = new Uri($"http://localhost:{port}/") };
        await using var client = await SseConnection.OpenAsync(http);
        Assert.That((await client.NextAsync())!.Value.EventType, Is.EqualTo("snapshot"));

        program.Signal(signal);
        var rest = client.ReadToEndAsync(TimeSpan.FromSeconds(10));
        int code = await program.WaitForExitAsync(TimeSpan.FromSeconds(5));

        // ReadToEnd returns only on a proper end of the chunked body; a cut connection would throw.
        Assert.DoesNotThrowAsync(() => rest);
        Assert.That(code, Is.EqualTo(0));
        Assert.That(program.Stdout, Does.Contain("Stopped cleanly"));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task NoOptionsButAPort_FromAnotherFolder_PlaysTheBundledScenarioAndServesTheBundledPage()
    {
        int port = FreePort.Reserve();
        await using var program = BuiltProgram.Start("--port", port.ToString());
        await Readiness.RequireAsync(program, port);
        Assert.That(program.Stdout, Does.Contain(
            $"SseFlights is live: open http://localhost:{port}/ for the board, stream http://localhost:{port}/events; scenario Morning arrivals: 6 flights, 40 entries, 96 s cycle, repeating"));

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        using var page = await http.GetAsync("/");
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(page.Content.Headers.ContentType!.ToString(), Is.EqualTo("text/html; charset=utf-8"));
        var info = JsonDocument.Parse(await http.GetStringAsync("api/scenario")).RootElement;
        Assert.That(info.GetProperty("name").GetString(), Is.EqualTo("Morning arrivals"));
        program.Signal(Signals.Sigterm);
        Assert.That(await program.WaitForExitAsync(TimeSpan.FromSeconds(5)), Is.EqualTo(0));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task JsonLogFormat_WritesOneJsonObjectPerLine()
    {
        int port = FreePort.Reserve();
        await using var program = BuiltProgram.Start("--port", port.ToString(), "--log-format", "json");
        await Readiness.RequireAsync(program, port);
        program.Signal(Signals.Sigterm);
        Assert.That(await program.WaitForExitAsync(TimeSpan.FromSeconds(5)), Is.EqualTo(0));

        var lines = program.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.GreaterThanOrEqualTo(2));
        foreach (string line in lines)
        {
            var json = JsonDocument.Parse(line).RootElement;
            Assert.That(json.TryGetProperty("MessageTemplate", out _), Is.True, line);
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task AllInterfaces_WarnsThatTheBoardIsReachableFromTheNetwork()
    {
        int port = FreePort.Reserve();
        await using var program = BuiltProgram.Start("--port", port.ToString(), "--host", "0.0.0.0");
        await Readiness.RequireAsync(program, port);
        Assert.That(program.Stdout, Does.Contain("WRN] Listening on every interface (--host 0.0.0.0): the board is now reachable from the network"));
        program.Signal(Signals.Sigterm);
        Assert.That(await program.WaitForExitAsync(TimeSpan.FromSeconds(5)), Is.EqualTo(0));
    }
}
