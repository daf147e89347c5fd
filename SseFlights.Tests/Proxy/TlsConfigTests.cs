using SseFlights.Tests.Support;

namespace SseFlights.Tests.Proxy;

/// <summary>
/// What the shipped deploy/nginx/sseflights-tls.conf offers a client, asked with curl: HTTP/2 by
/// ALPN, TLS 1.2 and 1.3 with forward-secret AEAD ciphers only, the certificate for both loopback
/// names, and on the plain port nothing but a redirect to HTTPS.
/// </summary>
public class TlsConfigTests
{
    /// <summary>curl's exit code for a failed TLS handshake (CURLE_SSL_CONNECT_ERROR).</summary>
    private const int HandshakeFailed = 35;

    /// <summary>curl's exit code for a certificate it cannot verify (CURLE_PEER_FAILED_VERIFICATION).</summary>
    private const int CertificateRejected = 60;

    private static TestServer _server = null!;
    private static TlsNginx _nginx = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await TestServer.StartAsync(Scenarios.Busy(5, 1, start: 1000));
        _nginx = await TlsNginx.StartAsync(TlsNginx.SingleNodeConfigPath, [_server.Port]);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _nginx.DisposeAsync();
        await _server.DisposeAsync();
    }

    [TestCase("--tlsv1.3", "HTTP/2 200")]
    [TestCase("--tlsv1.2 --tls-max 1.2 --ciphers ECDHE-ECDSA-AES128-GCM-SHA256", "HTTP/2 200")]
    [TestCase("--tlsv1.2 --tls-max 1.2 --ciphers ECDHE-ECDSA-CHACHA20-POLY1305", "HTTP/2 200")]
    [TestCase("--tlsv1.3 --http1.1", "HTTP/1.1 200 OK")]
    [CancelAfter(20_000)]
    public async Task Handshake_WithAModernProtocolAndCipher_IsAnsweredOverTheProtocolTheClientAskedFor(string options, string status)
    {
        var run = await Curl.RunAsync([.. options.Split(' '), "--cacert", _nginx.Certificates.CaPath, _nginx.HttpsUrl + "healthz"]);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Stderr);
        Assert.That(run.StatusLine, Is.EqualTo(status));
        Assert.That(run.BodyText, Does.StartWith("{\"status\":\"ok\","));
    }

    [TestCase("--tlsv1.2 --tls-max 1.2 --ciphers ECDHE-ECDSA-AES128-SHA256", Description = "TLS 1.2 with a CBC cipher")]
    [TestCase("--tlsv1.1 --tls-max 1.1 --ciphers DEFAULT:@SECLEVEL=0", Description = "TLS 1.1, from a client that would accept it")]
    [TestCase("--tlsv1.0 --tls-max 1.0 --ciphers DEFAULT:@SECLEVEL=0", Description = "TLS 1.0, from a client that would accept it")]
    [CancelAfter(20_000)]
    public async Task Handshake_WithAnOldProtocolOrCipher_IsRefused(string options)
    {
        var run = await Curl.RunAsync([.. options.Split(' '), "--cacert", _nginx.Certificates.CaPath, _nginx.HttpsUrl + "healthz"]);
        Assert.That(run.ExitCode, Is.EqualTo(HandshakeFailed), run.Stderr);
        Assert.That(run.Head, Is.Empty);
    }

    [TestCase("localhost")]
    [TestCase("127.0.0.1")]
    [CancelAfter(20_000)]
    public async Task Certificate_ForEitherLoopbackName_VerifiesAgainstTheTestCa_AndNotWithoutIt(string host)
    {
        string url = $"https://{host}:{_nginx.HttpsPort}/healthz";
        var trusted = await Curl.RunAsync("--cacert", _nginx.Certificates.CaPath, url);
        Assert.That((trusted.ExitCode, trusted.StatusLine), Is.EqualTo((0, "HTTP/2 200")), trusted.Stderr);

        // Without the CA, curl's system store does not know it: the certificate really is checked.
        var unknown = await Curl.RunAsync(url);
        Assert.That(unknown.ExitCode, Is.EqualTo(CertificateRejected), unknown.Stderr);
    }

    [TestCase("events?lastEventId=3", "https://localhost/events?lastEventId=3")]
    [TestCase("board/?kiosk", "https://localhost/board/?kiosk")]
    [TestCase("", "https://localhost/")]
    [CancelAfter(20_000)]
    public async Task PlainHttp_OnThePort80Block_IsAPermanentRedirectToTheSameUrlOverHttps(string path, string location)
    {
        var run = await Curl.RunAsync($"http://localhost:{_nginx.RedirectPort}/{path}");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Stderr);
        Assert.That(run.StatusLine, Is.EqualTo("HTTP/1.1 301 Moved Permanently"));
        Assert.That(run.Header("location"), Is.EqualTo(location));
    }
}
