using System.Text.Json;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Packaging;

/// <summary>The GC the program runs on is the one the benchmark chose (bench/FINDINGS.md), not whatever the SDK defaults to.</summary>
public class GcSettingTests
{
    [Test]
    [CancelAfter(30_000)]
    public async Task BuiltProgram_ReportsServerGcNonConcurrent_InItsRuntimeConfig(CancellationToken cancellationToken)
    {
        string path = Path.Combine(Path.GetDirectoryName(BuiltProgram.ExecutablePath)!, "sseflights.runtimeconfig.json");
        using var config = JsonDocument.Parse(await File.ReadAllTextAsync(path, cancellationToken));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.That(
            (properties.GetProperty("System.GC.Server").GetBoolean(), properties.GetProperty("System.GC.Concurrent").GetBoolean()),
            Is.EqualTo((true, false)));
    }
}
