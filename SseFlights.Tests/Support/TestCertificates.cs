using System.Diagnostics;

namespace SseFlights.Tests.Support;

/// <summary>
/// A certificate authority of the test's own and a certificate it signed for localhost and
/// 127.0.0.1, made with Debian's openssl in a temp folder under the names the shipped TLS config
/// reads (fullchain.pem, privkey.pem), plus ca.pem for clients that should trust it (curl --cacert).
/// Deleted on dispose; the CA's key never leaves the folder.
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    public const string Openssl = "/usr/bin/openssl";

    /// <summary>The CA's subject, so a test can tell the certificate a client saw is this one.</summary>
    public const string CaName = "SseFlights test CA";

    private TestCertificates(string folder) => Folder = folder;

    public string Folder { get; }

    public string CaPath => Path.Combine(Folder, "ca.pem");

    public string FullchainPath => Path.Combine(Folder, "fullchain.pem");

    public string PrivkeyPath => Path.Combine(Folder, "privkey.pem");

    /// <summary>Certificates already made in <paramref name="folder"/> (fullchain.pem, privkey.pem, ca.pem), which is deleted on dispose.</summary>
    public static TestCertificates InFolder(string folder) => new(folder);

    /// <summary>Makes the CA and the localhost certificate (P-256 keys, valid for two days).</summary>
    public static async Task<TestCertificates> CreateAsync()
    {
        Assert.That(File.Exists(Openssl), Is.True, $"{Openssl} is missing: apt-get install openssl (test.sh does)");
        var certificates = new TestCertificates(Directory.CreateTempSubdirectory("sseflights-tls-").FullName);
        try
        {
            await certificates.RunAsync("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                "-subj", "/CN=" + CaName, "-keyout", "ca.key", "-out", "ca.pem");
            await certificates.RunAsync("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-addext", "extendedKeyUsage=serverAuth",
                "-keyout", "privkey.pem", "-out", "localhost.csr");
            await certificates.RunAsync("x509", "-req", "-in", "localhost.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-copy_extensions", "copyall", "-out", "fullchain.pem");
            return certificates;
        }
        catch
        {
            certificates.Dispose();
            throw;
        }
    }

    private async Task RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo(Openssl) { WorkingDirectory = Folder };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var (code, output) = await ChildProcess.RunAsync(info, TimeSpan.FromSeconds(30));
        Assert.That(code, Is.EqualTo(0), $"openssl {string.Join(' ', args)}:\n{output}");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
