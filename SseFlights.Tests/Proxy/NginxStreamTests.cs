using System.Diagnostics;
using System.Net;
using System.Net.ServerSentEvents;
using Microsoft.Extensions.Time.Testing;
using SseFlights.Tests.EndToEnd;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Proxy;

/// <summary>
/// The stream through a real nginx, with the shipped config and with nginx's defaults: the same
/// bytes as direct, each event within 100 ms of its direct arrival, resume, the 204 after the
/// close, and a drop with its reconnect.
/// </summary>
public class NginxStreamTests
{
    private static readonly TimeSpan Seam = TimeSpan.FromMilliseconds(100);

    [TestCase(NginxConfig.Shipped, false)]
    [TestCase(NginxConfig.Shipped, true)]
    [TestCase(NginxConfig.Bare, false)]
    [CancelAfter(60_000)]
    public async Task Stream_ThroughNginx_IsTheDirectStreamByteForByte_EachEventWithin100ms(NginxConfig config, bool underBoard)
    {
        // Real time: the first event comes 3 s after the start, time enough for both clients to join.
        await using var server = await TestServer.StartAsync(Scenarios.Busy(30, 0.1, close: true, start: 3));
        await using var nginx = await NginxConfigs.StartAsync(config, server.Port);
        using var gzipAsking = new HttpClient { BaseAddress = new Uri(nginx.BaseUrl) };
        gzipAsking.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Encoding", "gzip, deflate");

        await using var direct = await SseConnection.OpenAsync(server.Http);
        await using var proxied = await SseConnection.OpenAsync(gzipAsking, NginxConfigs.EventsPath(underBoard));
        Assert.That(proxied.Response.Content.Headers.ContentEncoding, Is.Empty, "the stream must never be compressed");

        var directRead = ReadTimedAsync(direct);
        var proxiedRead = ReadTimedAsync(proxied);
        var (directEvents, directTimes) = await directRead;
        var (proxiedEvents, proxiedTimes) = await proxiedRead;

        Assert.That(directEvents[0].EventId, Is.EqualTo("0"), "the direct client joined before the first event");
        Assert.That(proxiedEvents.Select(Describe), Is.EqualTo(directEvents.Select(Describe)));
        Assert.That(directEvents, Has.Count.EqualTo(32), "snapshot, 30 events, close");
        Assert.That(proxied.RawText, Is.EqualTo(direct.RawText));
        var lags = proxiedTimes.Zip(directTimes, (p, d) => (p - d).TotalMilliseconds).ToList();
        TestContext.Out.WriteLine($"proxied minus direct arrival: median {lags.Order().ElementAt(lags.Count / 2):0.0} ms, max {lags.Max():0.0} ms, min {lags.Min():0.0} ms");
        var late = proxiedTimes.Zip(directTimes, (p, d) => p - d).Select((lag, i) => (Id: proxiedEvents[i].EventId, Lag: lag)).Where(e => e.Lag.Duration() > Seam).ToList();
        Assert.That(late, Is.Empty, "events that arrived more than 100 ms apart from their direct arrival");
        Assert.That(nginx.ErrorLog, Does.Not.Contain("[error]"));
    }

    [TestCase(NginxConfig.Shipped, false)]
    [TestCase(NginxConfig.Shipped, true)]
    [TestCase(NginxConfig.Bare, false)]
    [CancelAfter(30_000)]
    public async Task Resume_ThroughNginx_GetsExactlyWhatWasMissedThenTheClose_ThenNewClientsGet204(NginxConfig config, bool underBoard)
    {
        var time = new FakeTimeProvider();
        await using var server = await TestServer.StartAsync(Scenarios.Tutorial, time);
        await using var nginx = await NginxConfigs.StartAsync(config, server.Port);
        string path = NginxConfigs.EventsPath(underBoard);
        time.Advance(TimeSpan.FromSeconds(6));
        await Eventually.ValueAsync(() => server.GetJsonAsync("healthz"), h => h.GetProperty("lastEventId").GetInt64() == 2, TimeSpan.FromSeconds(10), "event 2");

        await using (var resumed = await SseConnection.OpenAsync(nginx.Http, path, lastEventId: "1"))
        {
            Assert.That((await resumed.NextAsync())!.Value.EventId, Is.EqualTo("2"));
            time.Advance(TimeSpan.FromSeconds(6));
            var rest = await resumed.ReadToEndAsync();
            Assert.That(rest.Select(e => e.EventId), Is.EqualTo(new[] { "3", "4" }));
            Assert.That(resumed.RawText, Is.EqualTo("retry: 3000\n\n" + TutorialBytes.Event2 + TutorialBytes.Event3 + TutorialBytes.Event4));
        }

        using var after = await nginx.Http.GetAsync(path);
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await after.Content.ReadAsByteArrayAsync(), Is.Empty);

        await using var query = await SseConnection.OpenAsync(nginx.Http, path + "?lastEventId=3");
        Assert.That(await query.ReadToEndAsync(), Has.Count.EqualTo(1));
        Assert.That(query.RawText, Is.EqualTo("retry: 3000\n\n" + TutorialBytes.Event4));
        Assert.That(nginx.ErrorLog, Does.Not.Contain("[error]"));
    }

    [TestCase(NginxConfig.Shipped, false)]
    [TestCase(NginxConfig.Shipped, true)]
    [TestCase(NginxConfig.Bare, false)]
    [CancelAfter(30_000)]
    public async Task Drop_ThroughNginx_EndsTheStreamCleanly_AndTheReconnectLosesNothing(NginxConfig config, bool underBoard)
    {
        const string Dropping = """
            {
              "name": "Drop",
              "flights": [ { "flight": "A1", "origin": "London", "arrival": "08:15", "state": "" } ],
              "timeline": [
                { "at": 1, "event": "flightStateUpdate", "data": { "flight": "A1", "state": "landing" } },
                { "at": 2, "action": "drop" },
                { "at": 3, "event": "flightStateUpdate", "data": { "flight": "A1", "state": "landed" } },
                { "at": 4, "event": "closedConnection" }
              ]
            }
            """;
        const string Landing = "event: flightStateUpdate\ndata: {\"flight\":\"A1\",\"state\":\"landing\"}\nid: 1\n\n";
        const string Landed = "event: flightStateUpdate\ndata: {\"flight\":\"A1\",\"state\":\"landed\"}\nid: 2\n\n";
        var time = new FakeTimeProvider();
        await using var server = await TestServer.StartAsync(Dropping, time);
        await using var nginx = await NginxConfigs.StartAsync(config, server.Port);
        string path = NginxConfigs.EventsPath(underBoard);

        await using (var first = await SseConnection.OpenAsync(nginx.Http, path))
        {
            Assert.That((await first.NextAsync())!.Value.EventType, Is.EqualTo("snapshot"));
            time.Advance(TimeSpan.FromSeconds(2));
            Assert.That((await first.ReadToEndAsync()).Select(e => e.EventId), Is.EqualTo(new[] { "1" }), "the drop ends the stream after event 1");
            Assert.That(first.RawText, Does.EndWith("\n\n" + Landing));
        }

        await using var again = await SseConnection.OpenAsync(nginx.Http, path, lastEventId: "1");
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.That((await again.ReadToEndAsync()).Select(e => e.EventId), Is.EqualTo(new[] { "2", "3" }));
        Assert.That(again.RawText, Is.EqualTo("retry: 3000\n\n" + Landed + "event: closedConnection\ndata:\nid: 3\n\n"));
        Assert.That(nginx.ErrorLog, Does.Not.Contain("[error]"));
    }

    private static (string?, string?, string) Describe(SseItem<string> item) => (item.EventType, item.EventId, item.Data);

    private static async Task<(List<SseItem<string>> Events, List<TimeSpan> Arrivals)> ReadTimedAsync(SseConnection connection)
    {
        var events = new List<SseItem<string>>();
        var arrivals = new List<TimeSpan>();
        while (await connection.NextAsync(TimeSpan.FromSeconds(20)) is { } item)
        {
            arrivals.Add(Stopwatch.GetElapsedTime(0));
            events.Add(item);
        }

        return (events, arrivals);
    }
}
