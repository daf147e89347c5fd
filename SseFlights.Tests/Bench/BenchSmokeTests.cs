using System.Diagnostics;
using System.Text.Json;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Bench;

/// <summary>The benchmark harness's smoke run (20 clients, a few seconds) and a short soak, so the harness never rots.</summary>
[NonParallelizable]
public class BenchSmokeTests
{
    [Test]
    [CancelAfter(240_000)]
    public async Task SmokeRun_AgainstTheBuiltServer_ConnectsEveryClientWithNoGaps()
    {
        string project = Path.Combine(Scenarios.RepoRoot, "bench", "SseFlights.Bench", "SseFlights.Bench.csproj");
        var (built, buildOutput) = await RunAsync("dotnet", ["build", "-c", "Release", "-nologo", "-v", "q", project], TimeSpan.FromMinutes(3));
        Assert.That(built, Is.EqualTo(0), buildOutput);

        string bench = Path.Combine(Path.GetDirectoryName(project)!, "bin", "Release", "net10.0", "sseflights-bench.dll");
        string server = Path.Combine(AppContext.BaseDirectory, "sseflights.dll");
        string folder = Directory.CreateTempSubdirectory("sseflights-bench-smoke-").FullName;
        string serverLog = Path.Combine(folder, "server.log");
        (int code, string output) run;
        try
        {
            run = await RunAsync("dotnet", [bench, "--smoke", "--server", server, "--server-log", serverLog], TimeSpan.FromMinutes(1));
            Assert.That(run.code, Is.EqualTo(0), () => run.output + "\nserver log:\n" + (File.Exists(serverLog) ? File.ReadAllText(serverLog) : "(none)"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        string summary = run.output.Split('\n').LastOrDefault(l => l.StartsWith('{')) ?? "";
        TestContext.Out.WriteLine(summary);
        Assert.That(summary, Does.Contain("\"ok\":true").And.Contain("\"connected\":20").And.Contain("\"gaps\":0").And.Contain("\"failed\":0"));
    }

    [Test]
    [CancelAfter(240_000)]
    public async Task SoakRun_AgainstTheBuiltServer_ReconnectsAfterTheServersRetryWithNoGaps(CancellationToken ct)
    {
        string project = Path.Combine(Scenarios.RepoRoot, "bench", "SseFlights.Bench", "SseFlights.Bench.csproj");
        var (built, buildOutput) = await RunAsync("dotnet", ["build", "-c", "Release", "-nologo", "-v", "q", project], TimeSpan.FromMinutes(3));
        Assert.That(built, Is.EqualTo(0), buildOutput);
        ct.ThrowIfCancellationRequested();
        string bench = Path.Combine(Path.GetDirectoryName(project)!, "bin", "Release", "net10.0", "sseflights-bench.dll");
        string folder = Directory.CreateTempSubdirectory("sseflights-bench-soak-").FullName;
        try
        {
            // The soak scenario as run.sh writes it, with its drops from 1.05 s; the other scenarios kept small.
            var (wrote, scenariosOutput) = await RunAsync("dotnet", [bench, "scenarios", "--out", folder, "--soak-first-drop", "1.05", "--soak-seconds", "30",
                "--steady-seconds", "1", "--throughput-seconds", "1", "--storm-seconds", "1"], TimeSpan.FromMinutes(1));
            Assert.That(wrote, Is.EqualTo(0), scenariosOutput);

            string server = Path.Combine(AppContext.BaseDirectory, "sseflights.dll");
            var (code, output) = await RunAsync("dotnet", [bench, "--server", server, "--scenario", Path.Combine(folder, "soak.json"),
                "--mode", "soak", "--soak", "--retry", "250", "-n", "20", "--seconds", "3", "--settle", "0.5"], TimeSpan.FromMinutes(1));

            string summary = output.Split('\n').LastOrDefault(l => l.StartsWith('{')) ?? "";
            TestContext.Out.WriteLine(summary);
            Assert.That(code, Is.EqualTo(0), output);
            using JsonDocument result = JsonDocument.Parse(summary);
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

    [Test]
    [CancelAfter(240_000)]
    public async Task LiveRun_TwoReplicasOnANatsLog_EveryClientGetsEveryPublishedEvent_WithPublishToArrivalLatency(CancellationToken ct)
    {
        string project = Path.Combine(Scenarios.RepoRoot, "bench", "SseFlights.Bench", "SseFlights.Bench.csproj");
        var (built, buildOutput) = await RunAsync("dotnet", ["build", "-c", "Release", "-nologo", "-v", "q", project], TimeSpan.FromMinutes(3));
        Assert.That(built, Is.EqualTo(0), buildOutput);
        ct.ThrowIfCancellationRequested();
        string bench = Path.Combine(Path.GetDirectoryName(project)!, "bin", "Release", "net10.0", "sseflights-bench.dll");
        string server = Path.Combine(AppContext.BaseDirectory, "sseflights.dll");

        var (code, output) = await RunAsync("dotnet", [bench, "live", "--server", server, "-n", "20", "--rate", "10", "--seconds", "2", "--settle", "0.5"], TimeSpan.FromMinutes(2));

        string summary = output.Split('\n').LastOrDefault(l => l.StartsWith('{')) ?? "";
        TestContext.Out.WriteLine(summary);
        Assert.That(code, Is.EqualTo(0), output);
        using JsonDocument result = JsonDocument.Parse(summary);
        JsonElement root = result.RootElement;
        Assert.That((root.GetProperty("ok").GetBoolean(), root.GetProperty("mode").GetString(), root.GetProperty("replicas").GetArrayLength()), Is.EqualTo((true, "live", 2)));
        foreach (JsonElement replica in root.GetProperty("replicas").EnumerateArray())
        {
            Assert.That((replica.GetProperty("connected").GetInt32(), replica.GetProperty("gaps").GetInt64(), replica.GetProperty("duplicates").GetInt64(), replica.GetProperty("missing").GetInt64()),
                Is.EqualTo((20, 0L, 0L, 0L)));
            Assert.That(replica.GetProperty("latency").GetProperty("count").GetInt64(), Is.EqualTo(20 * root.GetProperty("eventsInWindow").GetInt64()), "every window event at every client");
        }
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
