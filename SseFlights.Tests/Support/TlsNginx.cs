using System.Text.RegularExpressions;

namespace SseFlights.Tests.Support;

/// <summary>
/// A shipped TLS config (deploy/nginx/sseflights-tls.conf or replicas-tls.conf) in Debian's real
/// nginx, changed only in its paths, listen ports and upstream ports: 443 becomes a free loopback
/// port, 80 another, /etc/ssl/sseflights/ the temp folder of a fresh <see cref="TestCertificates"/>.
/// Optionally with a test-only plain HTTP/1.1 server block: the shipped HTTPS block with its
/// listen line on a third port and its ssl_ lines left out, so that TLS and HTTP/2 are the only
/// difference between the two. Stopped by PID, the certificates deleted, on dispose.
/// </summary>
internal sealed partial class TlsNginx : IAsyncDisposable
{
    private TlsNginx(NginxProcess nginx, TestCertificates certificates, int redirectPort, int? plainPort)
    {
        Nginx = nginx;
        Certificates = certificates;
        RedirectPort = redirectPort;
        PlainPort = plainPort;
    }

    public static string SingleNodeConfigPath => Path.Combine(Scenarios.RepoRoot, "deploy", "nginx", "sseflights-tls.conf");

    public static string ReplicasConfigPath => Path.Combine(Scenarios.RepoRoot, "deploy", "nginx", "replicas-tls.conf");

    public NginxProcess Nginx { get; }

    public TestCertificates Certificates { get; }

    /// <summary>Where the shipped "listen 443 ssl http2;" listens.</summary>
    public int HttpsPort => Nginx.Port;

    /// <summary>Where the shipped "listen 80;" (the redirect) listens.</summary>
    public int RedirectPort { get; }

    /// <summary>The test-only plain HTTP/1.1 copy of the HTTPS block, when asked for.</summary>
    public int? PlainPort { get; }

    public string HttpsUrl => $"https://localhost:{HttpsPort}/";

    public string PlainUrl => $"http://localhost:{PlainPort}/";

    /// <summary>
    /// Starts the shipped config at <paramref name="configPath"/>, its upstream server lines pointed,
    /// in order, at <paramref name="nodes"/>, serving <paramref name="certificates"/> (fresh ones for
    /// localhost and 127.0.0.1 when none are given), which it then owns.
    /// </summary>
    public static async Task<TlsNginx> StartAsync(string configPath, IReadOnlyList<int> nodes, bool withPlainBlock = false, TestCertificates? certificates = null)
    {
        certificates ??= await TestCertificates.CreateAsync();
        try
        {
            string template = await File.ReadAllTextAsync(configPath);
            int redirect = 0;
            int? plain = null;
            var nginx = await NginxProcess.StartAsync(https =>
            {
                // Called again with fresh ports if a port was taken meanwhile.
                redirect = OtherFreePort(https);
                plain = withPlainBlock ? OtherFreePort(https, redirect) : null;
                string config = Pointed(template, https, redirect, certificates.Folder, nodes);
                return plain is int port ? config + "\n" + PlainBlock(config, port) : config;
            });
            return new TlsNginx(nginx, certificates, redirect, plain);
        }
        catch
        {
            certificates.Dispose();
            throw;
        }
    }

    /// <summary>The shipped text with only its listen lines, certificate folder and upstream ports changed; each change must apply.</summary>
    public static string Pointed(string template, int https, int redirect, string certificateFolder, IReadOnlyList<int> nodes)
    {
        string config = ReplaceOnce(template, "listen 443 ssl http2;", $"listen 127.0.0.1:{https} ssl http2;");
        config = ReplaceOnce(config, "listen 80;", $"listen 127.0.0.1:{redirect};");
        Assert.That(Regex.Count(config, "/etc/ssl/sseflights/"), Is.EqualTo(2), "the certificate and its key under /etc/ssl/sseflights/");
        config = config.Replace("/etc/ssl/sseflights/", certificateFolder + "/", StringComparison.Ordinal);
        Assert.That(UpstreamServer().Matches(config), Has.Count.EqualTo(nodes.Count), "one upstream server line per node");
        using var node = nodes.GetEnumerator();
        return UpstreamServer().Replace(config, m => node.MoveNext() ? $"server 127.0.0.1:{node.Current}{m.Groups[1].Value};" : m.Value);
    }

    /// <summary>The HTTPS server block without TLS: its listen line on <paramref name="port"/>, its ssl_ directives and comments left out.</summary>
    public static string PlainBlock(string config, int port)
    {
        string bare = Regex.Replace(config, "#[^\n]*", "");
        int start = bare.LastIndexOf("server {", bare.IndexOf(" ssl http2;", StringComparison.Ordinal), StringComparison.Ordinal);
        int end = start + "server {".Length;
        for (int depth = 1; depth > 0; end++)
        {
            depth += bare[end] switch { '{' => 1, '}' => -1, _ => 0 };
        }

        var lines = bare[start..end].Split('\n')
            .Select(l => l.TrimEnd())
            .Where(l => l.Length > 0 && !l.TrimStart().StartsWith("ssl_", StringComparison.Ordinal))
            .Select(l => l.Contains(" ssl http2;", StringComparison.Ordinal) ? $"    listen 127.0.0.1:{port};" : l);
        return "# Test-only: the HTTPS block above without TLS, so plain HTTP/1.1.\n" + string.Join('\n', lines) + "\n";
    }

    /// <summary>A free port that is none of <paramref name="taken"/> (each was released after its reservation, so the kernel may offer it again).</summary>
    private static int OtherFreePort(params int[] taken)
    {
        int port;
        do
        {
            port = FreePort.Reserve();
        }
        while (taken.Contains(port));
        return port;
    }

    private static string ReplaceOnce(string text, string line, string replacement)
    {
        Assert.That(Regex.Count(text, Regex.Escape(line)), Is.EqualTo(1), $"the shipped config has '{line}' once");
        return text.Replace(line, replacement, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        await Nginx.DisposeAsync();
        Certificates.Dispose();
    }

    [GeneratedRegex(@"server 127\.0\.0\.1:50\d\d( [^;]*)?;")]
    private static partial Regex UpstreamServer();
}
