using System.Diagnostics;
using System.Text.RegularExpressions;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Proxy;

/// <summary>README's commands for a wall board's own CA work as written: the certificate they make is served by the shipped TLS config and trusted through their ca.pem.</summary>
public class ReadmeCertificateTests
{
    [Test]
    [CancelAfter(60_000)]
    public async Task ReadmeLocalCaCommands_AsWritten_MakeACertificateTheTlsConfigServes_ThatCurlTrustsThroughCaPem()
    {
        string readme = await File.ReadAllTextAsync(Path.Combine(Scenarios.RepoRoot, "README.md"));
        var block = Regex.Match(readme, "## Many tabs: HTTP/2 and TLS.*?```sh\n(.*?)```", RegexOptions.Singleline);
        Assert.That(block.Success, Is.True, "README's 'Many tabs' section has the CA commands in an sh block");
        string folder = Directory.CreateTempSubdirectory("sseflights-readme-ca-").FullName;
        var info = new ProcessStartInfo("/bin/sh") { WorkingDirectory = folder };
        foreach (string arg in new[] { "-e", "-c", block.Groups[1].Value })
        {
            info.ArgumentList.Add(arg);
        }

        var (code, output) = await ChildProcess.RunAsync(info, TimeSpan.FromSeconds(30));
        Assert.That(code, Is.EqualTo(0), output);

        await using var server = await TestServer.StartAsync(Scenarios.Busy(5, 1, start: 1000));
        await using var nginx = await TlsNginx.StartAsync(TlsNginx.SingleNodeConfigPath, [server.Port], certificates: TestCertificates.InFolder(folder));
        string url = $"https://board.lan:{nginx.HttpsPort}/healthz";

        // board.lan is README's name for the board: resolved to loopback for curl only.
        var run = await Curl.RunAsync("--cacert", Path.Combine(folder, "ca.pem"), "--resolve", $"board.lan:{nginx.HttpsPort}:127.0.0.1", url);
        Assert.That((run.ExitCode, run.StatusLine), Is.EqualTo((0, "HTTP/2 200")), run.Stderr);
        Assert.That(run.BodyText, Does.StartWith("{\"status\":\"ok\","));
    }
}
