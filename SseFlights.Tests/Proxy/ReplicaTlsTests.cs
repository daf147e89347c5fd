using System.Text;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Proxy;

/// <summary>
/// deploy/nginx/replicas-tls.conf in real nginx, read by curl over HTTP/2 and TLS: a resume passes
/// two dead upstreams and lands on the live replica, which sends exactly the frames after the id,
/// byte for byte as it sent them directly.
/// </summary>
public class ReplicaTlsTests
{
    private const int Events = 40;
    private static readonly TimeSpan StreamTimeout = TimeSpan.FromSeconds(30);

    // 40 events 50 ms apart from 0.5 s after the epoch, then the close; UTF-8 in the data so bytes are compared, not text.
    private static readonly string Scenario = Scenarios.Busy(Events, 0.05, close: true, start: 0.5).Replace("\"Oslo\"", "\"Tromsø · 東京\"", StringComparison.Ordinal);

    [Test]
    [CancelAfter(60_000)]
    public async Task Resume_ThroughReplicasTlsOverHttp2_PastTwoDeadReplicas_GetsTheMissedFramesByteForByte(CancellationToken cancellationToken)
    {
        await using var replicas = await ReplicaSet.StartAsync(Scenario, 1, TimeSpan.FromSeconds(1), "--log-level", "Warning");
        var live = replicas[0];
        string direct = await SseFrames.ReadStreamAsync(live.Port, "0", StreamTimeout, cancellationToken);

        // The first two upstreams are ports nobody listens on: replicas that are down.
        await using var nginx = await TlsNginx.StartAsync(TlsNginx.ReplicasConfigPath, [FreePort.Reserve(), FreePort.Reserve(), live.Port]);
        var resumed = await Curl.RunAsync("-N", "--http2", "--cacert", nginx.Certificates.CaPath, "-H", "Last-Event-ID: 10", nginx.HttpsUrl + "events");

        var frames = SseFrames.Split(direct);
        string expected = frames[0] + string.Concat(frames.Where(f => SseFrames.IdOf(f) > 10));
        Assert.That(SseFrames.Ids(direct), Is.EqualTo(new long?[] { null }.Concat(Enumerable.Range(1, Events + 1).Select(i => (long?)i))), "the direct read: retry, then every id to the close");
        Assert.That((resumed.ExitCode, resumed.StatusLine), Is.EqualTo((0, "HTTP/2 200")), resumed.Stderr);
        Assert.That(Encoding.Latin1.GetString(resumed.Body), Is.EqualTo(expected), "the frames after id 10, byte for byte");
        Assert.That(nginx.Nginx.ErrorLog, Does.Contain("connect() failed (111: Connection refused)"), "nginx moved on from the dead replicas");
    }
}
