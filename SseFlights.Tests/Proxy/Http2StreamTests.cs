using Microsoft.Extensions.Time.Testing;
using SseFlights.Tests.Browser;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Proxy;

/// <summary>
/// The stream through the shipped deploy/nginx/sseflights-tls.conf, read by curl over HTTP/2 and
/// TLS (checking the certificate against the test CA): the bytes the node sends directly, a head
/// without HTTP/1.1's connection headers, resume and the 204 after the close.
/// </summary>
public class Http2StreamTests
{
    /// <summary>Connection-specific headers, forbidden in HTTP/2 (RFC 9113 §8.2.2); HttpListener sends the first and the third.</summary>
    private static readonly string[] ConnectionHeaders = ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"];

    [Test]
    [CancelAfter(30_000)]
    public async Task Stream_OverHttp2ThroughTheTlsConfig_IsTheDirectStreamByteForByte_AndItsHeadHasNoConnectionHeaders()
    {
        var time = new FakeTimeProvider();
        await using var server = await TestServer.StartAsync(Scenarios.Tutorial, time);
        await using var nginx = await TlsNginx.StartAsync(TlsNginx.SingleNodeConfigPath, [server.Port]);

        var direct = Curl.RunAsync("-N", server.BaseUrl + "events");
        var proxied = Curl.RunAsync("-N", "--http2", "--cacert", nginx.Certificates.CaPath, nginx.HttpsUrl + "events");
        await Eventually.ValueAsync(server.ClientsAsync, n => n == 2, TimeSpan.FromSeconds(10), "both streams to open before the first event");
        time.AdvanceTo(12);
        var (directRun, proxiedRun) = (await direct, await proxied);

        Assert.That((directRun.ExitCode, proxiedRun.ExitCode), Is.EqualTo((0, 0)), directRun.Stderr + proxiedRun.Stderr);
        Assert.That(directRun.BodyText, Is.EqualTo(TutorialBytes.Whole));
        Assert.That(proxiedRun.Body, Is.EqualTo(directRun.Body), "the same bytes over HTTP/2 and TLS");

        Assert.That(directRun.StatusLine, Is.EqualTo("HTTP/1.1 200 OK"));
        Assert.That((directRun.Header("connection"), directRun.Header("transfer-encoding")), Is.EqualTo(("close", "chunked")), "what nginx must not pass on");
        Assert.That(proxiedRun.StatusLine, Is.EqualTo("HTTP/2 200"));
        Assert.That(proxiedRun.HeaderNames, Has.None.AnyOf(ConnectionHeaders));
        Assert.That(proxiedRun.Header("content-type"), Is.EqualTo("text/event-stream; charset=utf-8"));
        Assert.That(proxiedRun.Header("cache-control"), Is.EqualTo(directRun.Header("cache-control")));
        Assert.That(proxiedRun.Header("content-encoding"), Is.Null);
        Assert.That(nginx.Nginx.ErrorLog, Does.Not.Contain("[error]"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Resume_OverHttp2_GetsExactlyWhatWasMissedThenTheClose_ThenNewClientsGet204()
    {
        var time = new FakeTimeProvider();
        await using var server = await TestServer.StartAsync(Scenarios.Tutorial, time);
        await using var nginx = await TlsNginx.StartAsync(TlsNginx.SingleNodeConfigPath, [server.Port]);
        string[] h2 = ["--http2", "--cacert", nginx.Certificates.CaPath];
        time.AdvanceTo(6);
        await Eventually.ValueAsync(() => server.GetJsonAsync("healthz"), h => h.GetProperty("lastEventId").GetInt64() == 2, TimeSpan.FromSeconds(10), "event 2");

        var resumed = Curl.RunAsync([.. h2, "-N", "-H", "Last-Event-ID: 1", nginx.HttpsUrl + "events"]);
        await Eventually.ValueAsync(server.ClientsAsync, n => n == 1, TimeSpan.FromSeconds(10), "the resumed stream to open");
        time.AdvanceTo(12);
        var resumedRun = await resumed;
        Assert.That(resumedRun.StatusLine, Is.EqualTo("HTTP/2 200"), resumedRun.Stderr);
        Assert.That(resumedRun.BodyText, Is.EqualTo(TutorialBytes.Retry + TutorialBytes.Event2 + TutorialBytes.Event3 + TutorialBytes.Event4));

        var after = await Curl.RunAsync([.. h2, nginx.HttpsUrl + "events"]);
        Assert.That(after.StatusLine, Is.EqualTo("HTTP/2 204"), after.Stderr);
        Assert.That(after.Body, Is.Empty);
        Assert.That(after.HeaderNames, Has.None.AnyOf(ConnectionHeaders));

        var query = await Curl.RunAsync([.. h2, "-N", nginx.HttpsUrl + "events?lastEventId=3"]);
        Assert.That(query.StatusLine, Is.EqualTo("HTTP/2 200"), query.Stderr);
        Assert.That(query.BodyText, Is.EqualTo(TutorialBytes.Retry + TutorialBytes.Event4));
        Assert.That(nginx.Nginx.ErrorLog, Does.Not.Contain("[error]"));
    }
}
