using System.Text.RegularExpressions;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Proxy;

/// <summary>
/// The TLS configs are the plain ones with TLS added and nothing else changed: the same upstream,
/// proxy headers, locations, buffering and timeouts, plus a redirecting port-80 block and the
/// listen and ssl_ lines. README shows sseflights-tls.conf without its comments; the two must not drift.
/// </summary>
public class TlsConfigShapeTests
{
    private static readonly string[] Redirect = ["server {", "listen 80;", "return 301 https://$host$request_uri;", "}"];

    [TestCase("sseflights.conf", "sseflights-tls.conf")]
    [TestCase("replicas.conf", "replicas-tls.conf")]
    public void TlsConfig_IsThePlainConfig_WithARedirectOnPort80_AndTlsOn443(string plainFile, string tlsFile)
    {
        var plain = Directives(Read(plainFile));
        var tls = Directives(Read(tlsFile));
        var tlsLines = tls.Where(l => l.StartsWith("ssl_", StringComparison.Ordinal)).ToList();
        Assert.That(tlsLines.Select(l => l.Split(' ')[0]), Is.EqualTo(new[] { "ssl_certificate", "ssl_certificate_key", "ssl_protocols", "ssl_ciphers" }));

        int server = plain.IndexOf("server {");
        int listen = plain.IndexOf("listen 80;");
        var expected = plain[..server].Concat(Redirect).Concat(plain[server..listen])
            .Append("listen 443 ssl http2;").Concat(tlsLines).Concat(plain[(listen + 1)..]);
        Assert.That(tls, Is.EqualTo(expected));
    }

    [Test]
    public void ReadmeTlsConfig_IsTheShippedFileWithoutComments()
    {
        string readme = File.ReadAllText(Path.Combine(Scenarios.RepoRoot, "README.md"));
        var block = Regex.Match(readme, "## Many tabs: HTTP/2 and TLS.*?```nginx\n(.*?)```", RegexOptions.Singleline);
        Assert.That(block.Success, Is.True, "README has a 'Many tabs: HTTP/2 and TLS' section with an nginx block");
        Assert.That(Directives(block.Groups[1].Value), Is.EqualTo(Directives(Read("sseflights-tls.conf"))));
    }

    private static string Read(string file) => File.ReadAllText(Path.Combine(Scenarios.RepoRoot, "deploy", "nginx", file));

    /// <summary>The config's lines with comments and blank lines left out, trimmed.</summary>
    private static List<string> Directives(string config) =>
        [.. config.Split('\n').Select(l => Regex.Replace(l, "#.*$", "").Trim()).Where(l => l.Length > 0)];
}
