using System.Text.Json;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Packaging;

/// <summary>The GC and JIT settings the program runs on are the ones the benchmark chose (bench/FINDINGS.md), not whatever the SDK defaults to.</summary>
public class GcSettingTests
{
    [Test]
    [CancelAfter(30_000)]
    public async Task BuiltProgram_ReportsServerGcNonConcurrent_InItsRuntimeConfig(CancellationToken cancellationToken)
    {
        using var config = await RuntimeConfigAsync(cancellationToken);
        var properties = ConfigProperties(config);

        Assert.That(
            (properties.GetProperty("System.GC.Server").GetBoolean(), properties.GetProperty("System.GC.Concurrent").GetBoolean()),
            Is.EqualTo((true, false)));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task BuiltProgram_CompilesOptimisedAtFirstCallWithPgo_InItsRuntimeConfig(CancellationToken cancellationToken)
    {
        // Quick JIT off: a reconnect storm's first-run paths are compiled once, optimised (0.71 s to catch up, not 0.93 s).
        using var config = await RuntimeConfigAsync(cancellationToken);
        var properties = ConfigProperties(config);

        Assert.That(
            (properties.GetProperty("System.Runtime.TieredCompilation.QuickJit").GetBoolean(), properties.GetProperty("System.Runtime.TieredPGO").GetBoolean()),
            Is.EqualTo((false, true)));
    }

    private static async Task<JsonDocument> RuntimeConfigAsync(CancellationToken cancellationToken)
    {
        string path = Path.Combine(Path.GetDirectoryName(BuiltProgram.ExecutablePath)!, "sseflights.runtimeconfig.json");
        return JsonDocument.Parse(await File.ReadAllTextAsync(path, cancellationToken));
    }

    private static JsonElement ConfigProperties(JsonDocument config) =>
        config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
}
