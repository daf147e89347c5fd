using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.EndToEnd;

/// <summary>GET /metrics counts exactly what real streams did.</summary>
public class MetricsTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private static Task<MetricsSamples> WhenAsync(TestServer server, string sample, double expected) =>
        Eventually.ValueAsync(() => MetricsSamples.GetAsync(server.Http), m => m[sample] == expected, Deadline, $"{sample} = {expected}");

    [Test]
    [CancelAfter(20_000)]
    public async Task Metrics_ThreeOpenStreams_ReportsThreeClientsAndThreeSnapshots()
    {
        var time = new FakeTimeProvider();
        await using var server = await TestServer.StartAsync(Scenarios.Tutorial, time);
        var clients = await server.OpenStreamsAsync(3);

        // A write is counted once it has completed, which can be just after the client has read it.
        await WhenAsync(server, "sseflights_deliveries_total", 3);
        using var response = await server.Http.GetAsync("metrics");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.GetValues("Content-Type").Single(), Is.EqualTo("text/plain; version=0.0.4; charset=utf-8"));
        var metrics = MetricsSamples.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(metrics["sseflights_clients"], Is.EqualTo(3));
        Assert.That(metrics["sseflights_streams_opened_total{outcome=\"snapshot\"}"], Is.EqualTo(3));
        Assert.That(metrics["sseflights_deliveries_total"], Is.EqualTo(3), "one snapshot each");
        Assert.That(metrics["sseflights_events_published_total"], Is.Zero);
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Metrics_AStreamToTheClose_CountsEveryEventByteAndLatency_AndA503AndA204()
    {
        var time = new FakeTimeProvider();
        await using var server = await TestServer.StartAsync(Scenarios.Tutorial, time, o => o with { MaxClients = 1 });
        await using var client = await SseConnection.OpenAsync(server.Http);
        await client.NextAsync();
        using (var refused = await server.Http.GetAsync("events"))
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        }

        // Events are due at 3, 6, 9 and 12 s; the first fires half a second late, the others on time.
        // A write counts once it has completed, which can be just after the client has read it: wait
        // for each count before moving the clock on, or the write would finish at the next moment.
        int written = 0;
        foreach (double step in new[] { 3.5, 2.5, 3, 3 })
        {
            time.Advance(TimeSpan.FromSeconds(step));
            await client.NextAsync();
            await WhenAsync(server, "sseflights_delivery_latency_seconds_count", ++written);
        }

        Assert.That(await client.NextAsync(), Is.Null, "the stream ends after the close");
        using (var closed = await server.Http.GetAsync("events"))
        {
            Assert.That(closed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }

        var metrics = await WhenAsync(server, "sseflights_clients", 0);
        Assert.That(metrics["sseflights_streams_opened_total{outcome=\"snapshot\"}"], Is.EqualTo(1));
        Assert.That(metrics["sseflights_streams_opened_total{outcome=\"503\"}"], Is.EqualTo(1));
        Assert.That(metrics["sseflights_streams_opened_total{outcome=\"204\"}"], Is.EqualTo(1));
        Assert.That(metrics["sseflights_events_published_total"], Is.EqualTo(4));
        Assert.That(metrics["sseflights_deliveries_total"], Is.EqualTo(5), "the snapshot and four events");
        Assert.That(metrics["sseflights_written_bytes_total"], Is.EqualTo(Encoding.UTF8.GetByteCount(client.RawText)), "every byte the client read, retry: line included");
        Assert.That(Cuts(metrics), Is.EqualTo(new[] { 0.0, 0, 0, 0, 0 }), "a stream that ends with the close is not cut");

        // The fake clock stands still while a write completes: latency is exactly how late each event fired.
        Assert.That(metrics["sseflights_delivery_latency_seconds_bucket{le=\"0.001\"}"], Is.EqualTo(3));
        Assert.That(metrics["sseflights_delivery_latency_seconds_bucket{le=\"0.25\"}"], Is.EqualTo(3));
        Assert.That(metrics["sseflights_delivery_latency_seconds_bucket{le=\"0.5\"}"], Is.EqualTo(4));
        Assert.That(metrics["sseflights_delivery_latency_seconds_bucket{le=\"+Inf\"}"], Is.EqualTo(4));
        Assert.That(metrics["sseflights_delivery_latency_seconds_count"], Is.EqualTo(4));
        Assert.That(metrics["sseflights_delivery_latency_seconds_sum"], Is.EqualTo(0.5));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Metrics_Resume_CountsExactlyTheResentEvents_AndAResumeTheHistoryCannotServe()
    {
        var time = new FakeTimeProvider();
        await using var server = await TestServer.StartAsync(Scenarios.Busy(20, 1.0, start: 1), time, o => o with { History = 5, HeartbeatSeconds = 3600 });
        time.Advance(TimeSpan.FromSeconds(10));
        await Eventually.ValueAsync(() => server.GetJsonAsync("healthz"), h => h.GetProperty("lastEventId").GetInt64() == 10, Deadline, "event 10");

        await using (var resumed = await SseConnection.OpenAsync(server.Http, lastEventId: "7"))
        {
            await resumed.ReadAsync(3);
        }

        await using (var tooOld = await SseConnection.OpenAsync(server.Http, lastEventId: "2"))
        {
            Assert.That((await tooOld.NextAsync())!.Value.EventType, Is.EqualTo("snapshot"));
        }

        var metrics = await WhenAsync(server, "sseflights_events_published_total", 10);
        Assert.That(metrics["sseflights_streams_opened_total{outcome=\"resume\"}"], Is.EqualTo(1));
        Assert.That(metrics["sseflights_streams_opened_total{outcome=\"snapshot\"}"], Is.EqualTo(1));
        Assert.That(metrics["sseflights_resends_total"], Is.EqualTo(3), "events 8, 9 and 10");
        Assert.That(metrics["sseflights_history_misses_total"], Is.EqualTo(1));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Metrics_ScenarioDrop_CountsEveryDroppedStream()
    {
        var time = new FakeTimeProvider();
        await using var server = await TestServer.StartAsync(Scenarios.Busy(4, 1.0, dropEvery: 2, start: 1), time, o => o with { HeartbeatSeconds = 3600 });
        var clients = await server.OpenStreamsAsync(3);

        // Events 1 and 2, then the first drop: all three streams end.
        time.Advance(TimeSpan.FromSeconds(2));
        foreach (var client in clients)
        {
            Assert.That((await client.ReadToEndAsync()).Select(i => i.EventId), Is.EqualTo(new[] { "1", "2" }));
            await client.DisposeAsync();
        }

        var metrics = await WhenAsync(server, "sseflights_clients", 0);
        Assert.That(Cuts(metrics), Is.EqualTo(new[] { 0.0, 0, 0, 3, 0 }));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Metrics_AClientThatStopsReading_IsCountedAsCutForBeingSlow()
    {
        // 64 events of 64 KiB: four times what the kernel buffers plus the 1 MiB queue bound.
        string payload = new('x', 64 * 1024);
        var entries = Enumerable.Range(1, 64).Select(i => $$"""{ "at": {{i.ToString(CultureInfo.InvariantCulture)}}, "event": "cargo", "data": "{{payload}}" }""");
        string scenario = $$"""{ "name": "Heavy", "customEvents": ["cargo"], "flights": [], "timeline": [ {{string.Join(",", entries)}} ] }""";
        var time = new FakeTimeProvider();
        await using var server = await TestServer.StartAsync(scenario, time, o => o with { HeartbeatSeconds = 3600 });
        await using var stalled = await RawSseClient.ConnectAsync(server.Port, stalled: true);
        await WhenAsync(server, "sseflights_clients", 1);

        time.Advance(TimeSpan.FromSeconds(64));
        var metrics = await WhenAsync(server, "sseflights_clients", 0);
        Assert.That(Cuts(metrics), Is.EqualTo(new[] { 0.0, 1, 0, 0, 0 }), "cut as slow (its queue was full), not as stalled or dead");
        await WhenAsync(server, "sseflights_events_published_total", 64);
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Metrics_VanishedClients_AreCountedAsDead()
    {
        await using var server = await TestServer.StartAsync(Scenarios.Tutorial, configure: o => o with { HeartbeatSeconds = 1 });
        var clients = await server.OpenStreamsAsync(2);

        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }

        var metrics = await WhenAsync(server, "sseflights_clients", 0);
        Assert.That(Cuts(metrics), Is.EqualTo(new[] { 2.0, 0, 0, 0, 0 }));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Metrics_Head_AnswersTheHeadersWithoutABody()
    {
        await using var server = await TestServer.StartAsync(Scenarios.Tutorial, new FakeTimeProvider());
        using var response = await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "metrics"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.GetValues("Content-Type").Single(), Is.EqualTo("text/plain; version=0.0.4; charset=utf-8"));
        Assert.That(await response.Content.ReadAsByteArrayAsync(), Is.Empty);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Promtool_CheckMetrics_AcceptsTheOutputOfABusyServer()
    {
        var time = new FakeTimeProvider();
        await using var server = await TestServer.StartAsync(Scenarios.Busy(10, 1.0, close: true, dropEvery: 4, start: 1), time);
        await using var client = await SseConnection.OpenAsync(server.Http);
        await client.NextAsync();
        time.Advance(TimeSpan.FromSeconds(3));
        await client.ReadAsync(3);
        string text = await server.Http.GetStringAsync("metrics");

        var (code, stdout, stderr) = await ToolProcess.RunAsync("promtool", ["check", "metrics"], stdin: text);
        Assert.That((code, stdout + stderr), Is.EqualTo((0, "")), text);
    }

    private static double[] Cuts(MetricsSamples metrics) =>
        [.. new[] { "dead", "slow", "stalled", "drop", "shutdown" }.Select(r => metrics[$"sseflights_clients_cut_total{{reason=\"{r}\"}}"])];
}
