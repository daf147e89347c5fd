using System.Text.Json;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Packaging;

/// <summary>The GC and JIT settings the program runs on are the ones the benchmark chose (bench/FINDINGS.md), not whatever the SDK defaults to.</summary>
public class GcSettingTests
{
    // Server GC, non-concurrent: DATAS sizes the heaps to the live data (tail and RSS per stream).
    // Quick JIT off, PGO on: a reconnect storm's first-run paths are compiled once, optimised (0.71 s to catch up, not 0.93 s).
    [TestCase("System.GC.Server", true)]
    [TestCase("System.GC.Concurrent", false)]
    [TestCase("System.Runtime.TieredCompilation.QuickJit", false)]
    [TestCase("System.Runtime.TieredPGO", true)]
    [CancelAfter(30_000)]
    public async Task BuiltProgram_HasTheBenchmarksSetting_InItsRuntimeConfig(string property, bool expected, CancellationToken cancellationToken)
    {
        string path = Path.Combine(Path.GetDirectoryName(BuiltProgram.ExecutablePath)!, "sseflights.runtimeconfig.json");
        using var config = JsonDocument.Parse(await File.ReadAllTextAsync(path, cancellationToken));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.That(properties.TryGetProperty(property, out var value) ? value.GetBoolean() : (bool?)null, Is.EqualTo(expected), property);
    }
}
