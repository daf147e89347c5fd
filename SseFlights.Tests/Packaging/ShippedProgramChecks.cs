using System.Net;
using System.Text.Json;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Packaging;

/// <summary>What every shipped form of sseflights (tool, single file, Native AOT) must do, run against its executable.</summary>
internal static class ShippedProgramChecks
{
    /// <summary>The start-up line that says the trimmer kept what the direct write path reaches by reflection.</summary>
    public const string DirectWritePath = "Event streams use the direct write path";

    /// <summary>The same line's word that the writer's libc send survived packaging (on Linux).</summary>
    public const string NativeSend = "one non-blocking send per write";

    /// <summary>The tutorial scenario with the README's own command: exact bytes to the close, then 204, on the direct write path.</summary>
    public static async Task TutorialStreamAsync(string executable)
    {
        await using var server = await ServerProcess.StartExecutableAsync(executable, Scenarios.Tutorial, null);
        Assert.That(server.Program.Stdout, Does.Contain(DirectWritePath), "the direct write path must survive packaging");
        Assert.That(server.Program.Stdout, Does.Not.Contain("lacks the internals"));
        Assert.That(server.Program.Stdout, Does.Contain(NativeSend), "the writer's non-blocking send must survive packaging");

        await using (var client = await SseConnection.OpenAsync(server.Http))
        {
            await client.ReadToEndAsync();
            Assert.That(client.RawText, Is.EqualTo(TutorialBytes.Whole));
        }

        using var late = await server.Http.GetAsync("events");
        Assert.That(late.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
    }

    /// <summary>
    /// Every endpoint answers (the embedded page byte for byte, JSON from the source-generated
    /// contexts) and <c>--log-format json</c> writes one JSON object per line.
    /// </summary>
    public static async Task EveryEndpointWithJsonLogsAsync(string executable)
    {
        await using var server = await ServerProcess.StartExecutableAsync(executable, Scenarios.Tutorial, null, "--log-format", "json");
        string wwwroot = Path.Combine(Scenarios.RepoRoot, "wwwroot");
        foreach (string file in Directory.EnumerateFiles(wwwroot))
        {
            byte[] served = await server.Http.GetByteArrayAsync(Path.GetFileName(file));
            Assert.That(served, Is.EqualTo(File.ReadAllBytes(file)), Path.GetFileName(file));
        }

        Assert.That(await server.Http.GetStringAsync(""), Is.EqualTo(File.ReadAllText(Path.Combine(wwwroot, "index.html"))));
        var flights = await JsonAsync(server, "api/flights");
        Assert.That(flights.GetProperty("flights").EnumerateArray().Select(f => f.GetProperty("flight").GetString()),
            Is.EqualTo(new[] { "A123", "D654", "U213", "A987", "I768", "G119" }));
        Assert.That((await JsonAsync(server, "api/scenario")).GetProperty("name").GetString(), Is.EqualTo("The tutorial's 12 seconds"));
        var stats = await JsonAsync(server, "api/stats");
        Assert.That(stats.GetProperty("clients").GetInt32(), Is.EqualTo(0));
        Assert.That(stats.TryGetProperty("gen2Reasons", out var reasons) ? reasons.ValueKind : JsonValueKind.Undefined, Is.EqualTo(JsonValueKind.Object),
            "the runtime's GC events must survive packaging, or gen-2 collections cannot be told apart by reason");
        Assert.That((await server.HealthAsync()).GetProperty("status").GetString(), Is.EqualTo("ok"));
        using (var missing = await server.Http.GetAsync("nope"))
        {
            Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        }

        await using (var client = await SseConnection.OpenAsync(server.Http))
        {
            Assert.That((await client.NextAsync())!.Value.EventType, Is.EqualTo("snapshot"));
        }

        await Eventually.TrueAsync(() => server.Program.Stdout.Contains("\"ClientId\":1", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the stream's log line");
        var lines = server.Program.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.That(lines.Select(l => l.GetProperty("Level").GetString()), Is.All.EqualTo("Information"));
        var live = lines.Single(l => l.GetProperty("MessageTemplate").GetString()!.StartsWith("SseFlights is live", StringComparison.Ordinal));
        Assert.That(live.GetProperty("Properties").GetProperty("SourceContext").GetString(), Is.EqualTo("SseFlights.Lifecycle"));
        Assert.That(live.GetProperty("Properties").GetProperty("Flights").GetInt32(), Is.EqualTo(6));
    }

    /// <summary>The command line's answers: validate, and a bad value as one line with exit code 2.</summary>
    public static async Task CommandLineAsync(string executable)
    {
        string tutorial = Path.Combine(Scenarios.RepoRoot, "scenarios", "tutorial.json");
        var (code, stdout, _) = await BuiltProgram.RunExecutableAsync(executable, "validate", tutorial);
        Assert.That((code, stdout.Split('\n')[0]), Is.EqualTo((0, tutorial + ": OK")));

        var bad = await BuiltProgram.RunExecutableAsync(executable, "--port", "70000");
        Assert.That(bad, Is.EqualTo((2, "", "sseflights: --port must be a whole number from 1 to 65535; got '70000' (see --help)\n")));
    }

    private static async Task<JsonElement> JsonAsync(ServerProcess server, string path) =>
        JsonDocument.Parse(await server.Http.GetStringAsync(path)).RootElement.Clone();
}
