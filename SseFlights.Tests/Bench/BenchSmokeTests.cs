using System.Diagnostics;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Bench;

/// <summary>The benchmark harness's smoke run (20 clients, a few seconds), so the harness never rots.</summary>
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
        var (code, output) = await RunAsync("dotnet", [bench, "--smoke", "--server", server], TimeSpan.FromMinutes(1));

        string summary = output.Split('\n').LastOrDefault(l => l.StartsWith('{')) ?? "";
        TestContext.Out.WriteLine(summary);
        Assert.That(code, Is.EqualTo(0), output);
        Assert.That(summary, Does.Contain("\"ok\":true").And.Contain("\"connected\":20").And.Contain("\"gaps\":0").And.Contain("\"failed\":0"));
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
