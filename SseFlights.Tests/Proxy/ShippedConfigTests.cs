using System.Text.RegularExpressions;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Proxy;

/// <summary>README shows the shipped nginx config without its comments: the two must not drift apart.</summary>
public class ShippedConfigTests
{
    [Test]
    public void ReadmeConfig_IsTheShippedFileWithoutComments()
    {
        string readme = File.ReadAllText(Path.Combine(Scenarios.RepoRoot, "README.md"));
        var block = Regex.Match(readme, "## Deploy behind nginx.*?```nginx\n(.*?)```", RegexOptions.Singleline);
        Assert.That(block.Success, Is.True, "README has a 'Deploy behind nginx' section with an nginx block");
        Assert.That(Directives(block.Groups[1].Value), Is.EqualTo(Directives(File.ReadAllText(NginxProcess.ShippedConfigPath))));
    }

    /// <summary>The config's lines with comments and blank lines left out, trimmed.</summary>
    private static List<string> Directives(string config) =>
        [.. config.Split('\n').Select(l => Regex.Replace(l, "#.*$", "").Trim()).Where(l => l.Length > 0)];
}
