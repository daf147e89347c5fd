using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.EndToEnd;

/// <summary>The JSON endpoints, CORS, and the answers to methods and paths we do not serve.</summary>
public class EndpointTests
{
    [Test]
    [CancelAfter(20_000)]
    public async Task Healthz_ReportsClientsProgressAndTheClockStart()
    {
        var start = new DateTimeOffset(2026, 11, 24, 8, 30, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(start);
        await using var server = await TestServer.StartAsync(Scenarios.Tutorial, time, o => o with { Speed = 2 });
        await using var client = await SseConnection.OpenAsync(server.Http);
        await client.NextAsync();
        time.Advance(TimeSpan.FromSeconds(1.5));
        await client.NextAsync();

        var health = await server.GetJsonAsync("healthz");
        Assert.That(health.GetRawText(), Is.EqualTo("{\"status\":\"ok\",\"clients\":1,\"lastEventId\":1,\"startedAt\":\"2026-11-24T08:30:00Z\",\"speed\":2,\"closed\":false}"));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task ApiFlights_IsTheBoardWithTheLastEventId()
    {
        var time = new FakeTimeProvider();
        await using var server = await TestServer.StartAsync(Scenarios.Tutorial, time);
        time.Advance(TimeSpan.FromSeconds(9));
        await Eventually.ValueAsync(() => server.GetJsonAsync("api/flights"), b => b.GetProperty("lastEventId").GetInt64() == 3, TimeSpan.FromSeconds(10), "event 3");

        var board = await server.GetJsonAsync("api/flights");
        Assert.That(board.GetProperty("closed").GetBoolean(), Is.False);
        Assert.That(board.GetProperty("flights").EnumerateArray().Select(f => f.GetProperty("flight").GetString()), Is.EqualTo(new[] { "A123", "D654", "U213", "A987", "G119" }));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task ApiScenario_TellsThePageTheNameAndCustomEvents()
    {
        await using var server = await TestServer.StartAsync(SseFlights.Scenario.ScenarioLoader.LoadBundled());
        var info = await server.GetJsonAsync("api/scenario");
        Assert.That(info.GetRawText(), Is.EqualTo("{\"name\":\"Morning arrivals\",\"customEvents\":[\"gateChange\",\"announcement\"],\"repeat\":true,\"cycle\":96,\"flights\":6,\"entries\":40}"));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task RetryOption_IsTheFirstFrameOfEveryStream()
    {
        await using var server = await TestServer.StartAsync(Scenarios.Tutorial, configure: o => o with { RetryMilliseconds = 1234 });
        await using var client = await SseConnection.OpenAsync(server.Http);
        await client.NextAsync();
        Assert.That(client.RawText, Does.StartWith("retry: 1234\n\nevent: snapshot\n"));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task ApiStats_ReportsTheProcessCountersTheBenchmarkReads()
    {
        await using var server = await TestServer.StartAsync(Scenarios.Tutorial);
        var first = await server.GetJsonAsync("api/stats");
        var second = await server.GetJsonAsync("api/stats");
        Assert.That(first.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "allocatedBytes", "gcCollections", "heapBytes", "threadPoolThreads", "clients", "writePath", "gen2Reasons" }));
        Assert.That(second.GetProperty("allocatedBytes").GetInt64(), Is.GreaterThanOrEqualTo(first.GetProperty("allocatedBytes").GetInt64()));
        Assert.That(first.GetProperty("gcCollections").GetArrayLength(), Is.EqualTo(3));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task ApiStats_FullCollection_IsCountedUnderItsReason(CancellationToken cancellationToken)
    {
        await using var server = await TestServer.StartAsync(Scenarios.Tutorial);
        long before = Induced(await server.GetJsonAsync("api/stats"));

        GC.Collect(2, GCCollectionMode.Forced, blocking: true);

        // The runtime hands its GC events to listeners on a thread of its own, a moment later.
        long after = await Eventually.ValueAsync(
            async () => Induced(await server.GetJsonAsync("api/stats")), n => n > before, TimeSpan.FromSeconds(10), "the induced gen-2 collection in gen2Reasons");
        Assert.That(after, Is.GreaterThan(before));
        cancellationToken.ThrowIfCancellationRequested();
    }

    private static long Induced(System.Text.Json.JsonElement stats) =>
        stats.GetProperty("gen2Reasons").TryGetProperty("Induced", out var n) ? n.GetInt64() : 0;

    [TestCase("POST", "events", "GET, HEAD, OPTIONS")]
    [TestCase("DELETE", "healthz", "GET, HEAD, OPTIONS")]
    [TestCase("PUT", "index.html", "GET, HEAD, OPTIONS")]
    [CancelAfter(20_000)]
    public async Task WrongMethod_Gets405WithAllow(string method, string path, string allow)
    {
        await using var server = await TestServer.StartAsync(Scenarios.Tutorial);
        using var response = await server.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That(string.Join(", ", response.Content.Headers.Allow), Is.EqualTo(allow));
    }

    [TestCase("nope")]
    [TestCase("api/nope")]
    [TestCase("events/extra")]
    [CancelAfter(20_000)]
    public async Task UnknownPath_Gets404(string path)
    {
        await using var server = await TestServer.StartAsync(Scenarios.Tutorial);
        using var response = await server.Http.GetAsync(path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("Not found.\n"));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Events_WithUnknownQueryParameters_StillStreams()
    {
        await using var server = await TestServer.StartAsync(Scenarios.Tutorial);
        await using var client = await SseConnection.OpenAsync(server.Http, "events?foo=bar&x=%41");
        Assert.That((await client.NextAsync())!.Value.EventType, Is.EqualTo("snapshot"));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Cors_ConfiguredOrigin_IsAllowedWithVary_OthersGetNoCorsHeaders()
    {
        await using var server = await TestServer.StartAsync(Scenarios.Tutorial, configure: o => o with { CorsOrigins = ["http://board.example:3000"] });

        using var allowed = new HttpRequestMessage(HttpMethod.Get, "api/flights");
        allowed.Headers.Add("Origin", "http://board.example:3000");
        using (var response = await server.Http.SendAsync(allowed))
        {
            Assert.That(response.Headers.GetValues("Access-Control-Allow-Origin").Single(), Is.EqualTo("http://board.example:3000"));
            Assert.That(response.Headers.Vary, Does.Contain("Origin"));
        }

        using var other = new HttpRequestMessage(HttpMethod.Get, "api/flights");
        other.Headers.Add("Origin", "http://evil.example");
        using (var response = await server.Http.SendAsync(other))
        {
            Assert.That(response.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
        }

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "events");
        preflight.Headers.Add("Origin", "http://board.example:3000");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        preflight.Headers.Add("Access-Control-Request-Headers", "last-event-id");
        using (var response = await server.Http.SendAsync(preflight))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(response.Headers.GetValues("Access-Control-Allow-Methods").Single(), Is.EqualTo("GET"));
            Assert.That(response.Headers.GetValues("Access-Control-Allow-Headers").Single(), Is.EqualTo("Last-Event-ID, Cache-Control"));
            Assert.That(response.Headers.GetValues("Access-Control-Allow-Origin").Single(), Is.EqualTo("http://board.example:3000"));
        }
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Cors_NotConfigured_AddsNoCorsHeadersEvenToPreflight()
    {
        await using var server = await TestServer.StartAsync(Scenarios.Tutorial);
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "events");
        preflight.Headers.Add("Origin", "http://anywhere.example");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        using var response = await server.Http.SendAsync(preflight);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(response.Headers.Select(h => h.Key), Has.None.StartsWith("Access-Control"));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task MaxClients_RefusesTheNextStreamWith503_AndAcceptsOnceOneLeaves()
    {
        await using var server = await TestServer.StartAsync(Scenarios.Tutorial, configure: o => o with { MaxClients = 2, HeartbeatSeconds = 0.5 });
        var first = await SseConnection.OpenAsync(server.Http);
        await using var second = await SseConnection.OpenAsync(server.Http);

        using (var refused = await server.Http.GetAsync("events", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(refused.Headers.RetryAfter!.Delta, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(await refused.Content.ReadAsStringAsync(), Is.EqualTo("Service unavailable: the server is at its limit of 2 streams; try again shortly.\n"));
        }

        Assert.That((await second.NextAsync())!.Value.EventType, Is.EqualTo("snapshot"), "existing streams are untouched");
        await first.DisposeAsync();
        await Eventually.ValueAsync(async () =>
        {
            using var response = await server.Http.GetAsync("events", HttpCompletionOption.ResponseHeadersRead);
            return response.StatusCode;
        }, s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(10), "a free place after a client left");
    }
}
