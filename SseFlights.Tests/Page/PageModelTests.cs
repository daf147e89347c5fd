using System.Diagnostics;
using System.Text.RegularExpressions;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Page;

/// <summary>
/// The page's modules (board model, session, stream controller, renderer on a fake document)
/// checked by `node --test`, without a browser: the .mjs files next to this one import them from
/// wwwroot/ by relative path.
/// </summary>
public partial class PageModelTests
{
    [Test]
    [CancelAfter(60_000)]
    public async Task NodeTest_PageModules_EveryTestPasses()
    {
        string folder = Path.Combine(Scenarios.RepoRoot, "SseFlights.Tests", "Page");
        int declared = Directory.GetFiles(folder, "*.test.mjs").Sum(file => TestCall().Matches(File.ReadAllText(file)).Count);
        var info = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Scenarios.RepoRoot,
        };
        foreach (string arg in new[] { "--test", "--test-reporter=tap", folder })
        {
            info.ArgumentList.Add(arg);
        }

        using var node = Process.Start(info)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        string output = await stdout;

        Assert.That(node.ExitCode, Is.EqualTo(0), output + await stderr);
        Assert.That(declared, Is.GreaterThanOrEqualTo(39));
        Assert.That(output, Does.Contain($"# pass {declared}\n"), output);
        Assert.That(output, Does.Contain("# fail 0\n"), output);
    }

    [GeneratedRegex(@"^test\(", RegexOptions.Multiline)]
    private static partial Regex TestCall();
}
