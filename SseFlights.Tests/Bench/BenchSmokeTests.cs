using System.Diagnostics;
using System.Text.Json;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Bench;

/// <summary>The benchmark harness's smoke run (20 clients, a few seconds) and a short soak, so the harness never rots.</summary>
[NonParallelizable]
public class BenchSmokeTests
{
    private static readonly string Project = Path.Combine(Scenarios.RepoRoot, "bench", "SseFlights.Bench", "SseFlights.Bench.csproj");
    private static readonly string Bench = Path.Combine(Path.GetDirectoryName(Project)!, "bin", "Release", "net10.0", "sseflights-bench.dll");
    private static readonly string Server = Path.Combine(AppContext.BaseDirectory, "sseflights.dll");

    /// <summary>The harness is built once for the fixture, as run.sh builds it.</summary>
    [OneTimeSetUp]
    public async Task BuildTheHarnessAsync()
    {
        var (built, buildOutput) = await RunAsync("dotnet", ["build", "-c", "Release", "-nologo", "-v", "q", Project], TimeSpan.FromMinutes(3));
        Assert.That(built, Is.EqualTo(0), buildOutput);
    }

    [Test]
    [CancelAfter(240_000)]
    public async Task SmokeRun_AgainstTheBuiltServer_ConnectsEveryClientWithNoGaps()
    {
        string folder = Directory.CreateTempSubdirectory("sseflights-bench-smoke-").FullName;
        string serverLog = Path.Combine(folder, "server.log");
        (int code, string output) run;
        try
        {
            run = await RunAsync("dotnet", [Bench, "--smoke", "--server", Server, "--server-log", serverLog], TimeSpan.FromMinutes(1));
            Assert.That(run.code, Is.EqualTo(0), () => run.output + "\nserver log:\n" + (File.Exists(serverLog) ? File.ReadAllText(serverLog) : "(none)"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        using JsonDocument result = Summary(run.output);
        JsonElement root = result.RootElement;
        Assert.That((root.GetProperty("ok").GetBoolean(), root.GetProperty("connected").GetInt32(), root.GetProperty("failed").GetInt32(), root.GetProperty("gaps").GetInt64()),
            Is.EqualTo((true, 20, 0, 0L)), run.output);
    }

    [Test]
    [CancelAfter(240_000)]
    public async Task SoakRun_AgainstTheBuiltServer_ReconnectsAfterTheServersRetryWithNoGaps()
    {
        string folder = Directory.CreateTempSubdirectory("sseflights-bench-soak-").FullName;
        try
        {
            // The soak scenario as run.sh writes it, with its drops from 1.05 s; the other scenarios kept small.
            var (wrote, scenariosOutput) = await RunAsync("dotnet", [Bench, "scenarios", "--out", folder, "--soak-first-drop", "1.05", "--soak-seconds", "30",
                "--steady-seconds", "1", "--throughput-seconds", "1", "--storm-seconds", "1"], TimeSpan.FromMinutes(1));
            Assert.That(wrote, Is.EqualTo(0), scenariosOutput);

                var (code, output) = await RunAsync("dotnet", [Bench, "--server", Server, "--scenario", Path.Combine(folder, "soak.json"),
                "--mode", "soak", "--soak", "--retry", "250", "-n", "20", "--seconds", "3", "--settle", "0.5"], TimeSpan.FromMinutes(1));

            Assert.That(code, Is.EqualTo(0), output);
            using JsonDocument result = Summary(output);
            JsonElement root = result.RootElement;
            JsonElement soak = root.GetProperty("soak");
            Assert.That((root.GetProperty("ok").GetBoolean(), root.GetProperty("connected").GetInt32(), root.GetProperty("gaps").GetInt64(),
                    root.GetProperty("duplicates").GetInt64(), root.GetProperty("missing").GetInt64()),
                Is.EqualTo((true, 20, 0L, 0L, 0L)));
            Assert.That((soak.GetProperty("retryMs").GetInt64(), soak.GetProperty("dropEverySeconds").GetDouble()), Is.EqualTo((250L, 0.5)));
            Assert.That(soak.GetProperty("reconnects").GetInt32(), Is.GreaterThan(0), "reconnects in the window");
            Assert.That(root.GetProperty("serverStats").GetProperty("gc").GetProperty("window").GetArrayLength(), Is.EqualTo(3), "GC counts by generation over the soak");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestCase("nats", "Nats")]
    [TestCase("scripted", "Scripted")]
    [CancelAfter(240_000)]
    public async Task LiveRun_TwoReplicas_EveryClientGetsEveryEvent_FromTheLogOrFromItsScriptedTwin(string source, string recorded)
    {
        var (code, output) = await RunAsync("dotnet", [Bench, "live", "--source", source, "--server", Server, "-n", "20", "--rate", "10", "--seconds", "2", "--settle", "0.5"], TimeSpan.FromMinutes(2));

        Assert.That(code, Is.EqualTo(0), output);
        using JsonDocument result = Summary(output);
        JsonElement root = result.RootElement;
        Assert.That((root.GetProperty("ok").GetBoolean(), root.GetProperty("mode").GetString(), root.GetProperty("source").GetString(), root.GetProperty("replicas").GetArrayLength()),
            Is.EqualTo((true, "live", recorded, 2)));
        // How many fall inside the 2 s window moves with the publisher's timing (a publish is timed as it happens);
        // what must hold is below: every one of them at every client.
        Assert.That(root.GetProperty("published").GetInt64(), Is.EqualTo(26), "10 events/s over the 0.5 s settle and the 2 s window, and one more");
        foreach (JsonElement replica in root.GetProperty("replicas").EnumerateArray())
        {
            Assert.That((replica.GetProperty("connected").GetInt32(), replica.GetProperty("gaps").GetInt64(), replica.GetProperty("duplicates").GetInt64(), replica.GetProperty("missing").GetInt64()),
                Is.EqualTo((20, 0L, 0L, 0L)));
            Assert.That(replica.GetProperty("latency").GetProperty("count").GetInt64(), Is.EqualTo(20 * root.GetProperty("eventsInWindow").GetInt64()), "every window event at every client");
        }
    }

    /// <summary>The run's summary: the last line of its output that is a JSON object.</summary>
    private static JsonDocument Summary(string output)
    {
        string summary = output.Split('\n').LastOrDefault(l => l.StartsWith('{')) ?? "";
        TestContext.Out.WriteLine(summary);
        Assert.That(summary, Is.Not.Empty, "no summary line in the run's output:\n" + output);
        return JsonDocument.Parse(summary);
    }

    private static Task<(int Code, string Output)> RunAsync(string file, string[] args, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return ChildProcess.RunAsync(info, timeout);
    }
}
