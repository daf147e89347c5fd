using System.Text.RegularExpressions;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Proxy;

/// <summary>replicas-live.conf is replicas.conf with one change: a replica's 503 (catching up with the log) moves on to the next replica too.</summary>
public class LiveConfigShapeTests
{
    [Test]
    public void LiveReplicasConfig_IsTheReplicasConfig_PassingOverA503Too()
    {
        var plain = Directives(Read("replicas.conf"));
        var live = Directives(Read("replicas-live.conf"));

        var expected = plain.Select(l => l == "proxy_next_upstream error timeout;" ? "proxy_next_upstream error timeout http_503;" : l);
        Assert.That(live, Is.EqualTo(expected));
    }

    private static string Read(string file) => File.ReadAllText(Path.Combine(Scenarios.RepoRoot, "deploy", "nginx", file));

    /// <summary>The config's lines with comments and blank lines left out, trimmed.</summary>
    private static List<string> Directives(string config) =>
        [.. config.Split('\n').Select(l => Regex.Replace(l, "#.*$", "").Trim()).Where(l => l.Length > 0)];
}
