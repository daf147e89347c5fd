using System.Text.Json;
using System.Text.Json.Nodes;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Readme;

/// <summary>README's commands for testing clients, run as written: the request log session, the faults, step mode and the kit.</summary>
public partial class ReadmeCommandTests
{
    private const string LogServer = "sseflights --scenario scenarios/clients/post-body-on-reconnect.json --control --control-token demo &";
    private const string LogPost = """curl -s -m 3 -H 'Content-Type: application/json' -d '{"board":"arrivals"}' 'http://localhost:5000/events?client=mine'""";
    private const string LogRead = """curl -s -H "Authorization: Bearer demo" 'http://localhost:5000/api/control/requests?client=mine'""";
    private const string LogClear = """curl -s -X DELETE -H "Authorization: Bearer demo" http://localhost:5000/api/control/requests""";
    private const string FaultReset = """curl -s -H "Authorization: Bearer demo" -d '{"reset": {"afterEvents": 1}, "count": 1}' http://localhost:5000/api/control/faults   # 204: the next request is reset after its first event""";
    private const string FaultBad = """curl -s -H "Authorization: Bearer demo" -d '{"reset": {"after": 1}, "count": 1}' http://localhost:5000/api/control/faults         # 422, one line per problem""";
    private const string StepServer = "sseflights --scenario scenarios/tutorial.json --control --control-token demo --step &";
    private const string StepAdvance = """curl -s -H "Authorization: Bearer demo" -d '{"entries": 2}' http://localhost:5000/api/control/advance""";
    private const string Kit = "sseflights kit                                  # http://localhost:5000/kit/";
    private const string KitEverywhere = "sseflights kit --port 5001 --host 0.0.0.0       # reachable from a phone on the same network";

    private static string[] CoveredForTesting => [LogServer, LogPost, LogRead, LogClear, FaultReset, FaultBad, StepServer, StepAdvance, Kit, KitEverywhere];

    [Test]
    [CancelAfter(60_000)]
    public async Task RequestLogSession_ThePostGetsTheStream_TheLogShowsWhatCurlSent_AndTheDeleteClearsIt()
    {
        await using var sandbox = new ReadmeSandbox();
        await sandbox.StartServerAsync(ReadmeCommands.Find(LogServer).Text);

        var (code, stream, _) = await sandbox.RunAsync(ReadmeCommands.Find(LogPost).Text, TimeSpan.FromSeconds(30));
        // The case's clock started with the server: curl gets its events from the second it asks in (on a quiet
        // machine 'a' and the drop at 1.2 s), or, asking after the close at 2.2 s, the 204 a closed board answers.
        Assert.That(code, Is.EqualTo(0));
        Assert.That(stream, Does.StartWith("retry: 3000\n\nevent: note\n").Or.Empty);

        var (_, log, _) = await sandbox.RunAsync(ReadmeCommands.Find(LogRead).Text);
        var shown = JsonNode.Parse(ReadmeCommands.BlockAfter("the log shows what curl sent", "json"))!.AsArray();
        var seen = JsonNode.Parse(log)!.AsArray();
        foreach (var entry in new[] { shown, seen }.SelectMany(a => a))
        {
            // What varies from one machine and run to the next, as README says.
            entry!["headers"]!["Host"] = "H";
            entry["headers"]!["User-Agent"] = "U";
            entry["receivedAt"] = "T";
        }

        Assert.That(seen.ToJsonString(), Is.EqualTo(shown.ToJsonString()));
        Assert.That((await sandbox.RunAsync(ReadmeCommands.Find(LogClear).Text)).Stdout, Is.EqualTo("{\"cleared\":1}"));

        Assert.That((await sandbox.RunAsync(ReadmeCommands.Find(FaultReset).Text)).Stdout, Is.Empty, "204");
        var (_, refused, _) = await sandbox.RunAsync(ReadmeCommands.Find(FaultBad).Text);
        Assert.That(refused.TrimEnd('\n'), Is.EqualTo(ReadmeCommands.BlockAfter("The second answers:", "text").Trim()));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task StepSession_AdvancePublishesTheFirstTwoEntriesAtOnce()
    {
        await using var sandbox = new ReadmeSandbox();
        await sandbox.StartServerAsync(ReadmeCommands.Find(StepServer).Text);

        var (code, answer, _) = await sandbox.RunAsync(ReadmeCommands.Find(StepAdvance).Text);

        Assert.That((code, answer), Is.EqualTo((0, "{\"ids\":[1,2],\"scenarioTime\":6}")));
        Assert.That(ReadmeCommands.Text, Does.Contain("answers `{\"ids\":[1,2],\"scenarioTime\":6}`"));
    }

    [TestCase(Kit)]
    [TestCase(KitEverywhere)]
    [CancelAfter(60_000)]
    public async Task Kit_AsReadmeStartsIt_ServesThePackAndItsPage(string command)
    {
        await using var sandbox = new ReadmeSandbox();
        await sandbox.StartServerAsync(ReadmeCommands.Find(command).Text);
        int port = sandbox.Port(command.Contains("5001", StringComparison.Ordinal) ? 5001 : 5000);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        using var pack = JsonDocument.Parse(await http.GetStringAsync("kit/pack.json"));
        Assert.That(pack.RootElement.GetProperty("cases").GetArrayLength(), Is.EqualTo(ClientPack.Cases().Count()));
        Assert.That(await http.GetStringAsync("kit/"), Does.Contain("<title>Client kit · SseFlights</title>"));
    }
}
