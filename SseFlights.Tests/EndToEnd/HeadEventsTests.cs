using Microsoft.Extensions.Time.Testing;
using SseFlights.Tests.Browser;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.EndToEnd;

/// <summary>
/// HEAD /events answers what a GET would get now, with no body and without taking a slot: the page
/// asks it when its EventSource gives up, to tell "full, wait" from "closed, stop" from "retry".
/// </summary>
public class HeadEventsTests
{
    private const string Closing = """
        {
          "name": "Closing",
          "flights": [ { "flight": "A1", "origin": "London", "arrival": "08:15", "state": "" } ],
          "timeline": [ { "at": 2, "event": "closedConnection" } ]
        }
        """;

    private static Task<RawResponse> HeadAsync(int port, string target = "/events") =>
        RawHttp.SendAsync(port, $"HEAD {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

    [Test]
    [CancelAfter(20_000)]
    public async Task HeadEvents_OpenBoard_Gets200WithTheStreamHeaders_NoBody_AndNoSlot()
    {
        await using var server = await TestServer.StartAsync(Closing, new FakeTimeProvider(), o => o with { MaxClients = 1 });

        var head = await HeadAsync(server.Port);

        Assert.That(head.Status, Is.EqualTo(200), head.Head);
        Assert.That(head.Header("Content-Type"), Is.EqualTo("text/event-stream; charset=utf-8"));
        Assert.That(head.Header("Cache-Control"), Is.EqualTo("no-cache, no-transform"));
        Assert.That(head.Header("X-Accel-Buffering"), Is.EqualTo("no"));
        Assert.That(head.Header("X-Content-Type-Options"), Is.EqualTo("nosniff"));
        Assert.That(head.Header("Retry-After"), Is.Null);
        Assert.That(head.Header("Transfer-Encoding"), Is.Null, "a chunked HEAD answer would carry the last chunk as a body");
        Assert.That(head.Body, Is.Empty);
        Assert.That(await server.ClientsAsync(), Is.EqualTo(0));

        // Its one slot is still free: a GET gets the stream after any number of HEADs.
        await HeadAsync(server.Port);
        await using var stream = await SseConnection.OpenAsync(server.Http);
        Assert.That((int)stream.Response.StatusCode, Is.EqualTo(200));
        Assert.That((await stream.NextAsync())?.EventType, Is.EqualTo("snapshot"));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task HeadEvents_AtMaxClients_Gets503WithRetryAfter_NoBody()
    {
        await using var server = await TestServer.StartAsync(Closing, new FakeTimeProvider(), o => o with { MaxClients = 1 });
        await using var first = await SseConnection.OpenAsync(server.Http);
        await first.NextAsync();

        var head = await HeadAsync(server.Port, "/events?lastEventId=0");

        Assert.That(head.Status, Is.EqualTo(503), head.Head);
        Assert.That(head.Header("Retry-After"), Is.EqualTo("5"));
        Assert.That(head.Header("Content-Type"), Is.EqualTo("text/plain; charset=utf-8"));
        Assert.That(head.Body, Is.Empty);
        Assert.That(await server.ClientsAsync(), Is.EqualTo(1));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task HeadEvents_AfterTheClose_Gets204_NoBody()
    {
        var time = new FakeTimeProvider();
        await using var server = await TestServer.StartAsync(Closing, time, o => o with { MaxClients = 1 });
        time.AdvanceTo(2);
        await Eventually.ValueAsync(() => server.GetJsonAsync("healthz"), h => h.GetProperty("closed").GetBoolean(), TimeSpan.FromSeconds(10), "the board to close");

        var head = await HeadAsync(server.Port);
        var resumed = await HeadAsync(server.Port, "/events?lastEventId=1");

        Assert.That(head.Status, Is.EqualTo(204), head.Head);
        Assert.That(head.Body, Is.Empty);
        Assert.That(resumed.Status, Is.EqualTo(204), resumed.Head);
        Assert.That(resumed.Body, Is.Empty);
    }
}
