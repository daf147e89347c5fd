using System.Text.Json;

namespace SseFlights.Tests.Support;

/// <summary>
/// The real <c>dotnet-counters</c>, installed with <c>dotnet tool install</c> into a temp tool path
/// once per test run (a pinned version, so its JSON does not change under us).
/// </summary>
internal static class DotnetCounters
{
    public const string Version = "10.0.750501";

    private static readonly Lazy<Task<string>> Installed = new(InstallAsync);

    /// <summary>Collects the SseFlights meter from process <paramref name="pid"/> for a few seconds; returns each reading's name and value.</summary>
    public static async Task<List<(string Name, double Value)>> CollectAsync(int pid, TimeSpan duration)
    {
        string tool = await Installed.Value;
        string output = Path.Combine(Directory.CreateTempSubdirectory("sseflights-counters-").FullName, "counters.json");
        var (code, stdout, stderr) = await ToolProcess.RunAsync(tool, [
            "collect", "--process-id", pid.ToString(), "--counters", "SseFlights", "--format", "json",
            "--refresh-interval", "1", "--duration", duration.ToString(@"dd\:hh\:mm\:ss"), "--output", output]);
        Assert.That(code, Is.Zero, $"dotnet-counters collect failed:\n{stdout}\n{stderr}");
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(output));
        return [.. document.RootElement.GetProperty("Events").EnumerateArray()
            .Select(e => (e.GetProperty("name").GetString()!, e.GetProperty("value").GetDouble()))];
    }

    private static async Task<string> InstallAsync()
    {
        string toolPath = Directory.CreateTempSubdirectory("sseflights-tools-").FullName;
        var (code, stdout, stderr) = await ToolProcess.RunAsync("dotnet", ["tool", "install", "dotnet-counters", "--version", Version, "--tool-path", toolPath], timeout: TimeSpan.FromSeconds(120));
        Assert.That(code, Is.Zero, $"dotnet tool install dotnet-counters failed:\n{stdout}\n{stderr}");
        return Path.Combine(toolPath, "dotnet-counters");
    }
}
