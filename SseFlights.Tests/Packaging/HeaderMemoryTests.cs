using System.Net;
using System.Net.Sockets;
using SseFlights.Http;
using SseFlights.Http.Listener;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Packaging;

/// <summary>
/// What an open stream lets go of once its head is out: both header collections and the buffer
/// the socket's send arguments kept from the listener's send of the head. Each connection still
/// ends the way the request asked: closed after "Connection: close", kept alive otherwise.
/// </summary>
public class HeaderMemoryTests
{
    [Test]
    [CancelAfter(20_000)]
    public async Task FirstWrite_OnARequestWithConnectionClose_EmptiesBothHeadsAndTheSendBuffer_AndTheEndStillCloses(CancellationToken cancellationToken)
    {
        using var exchange = await BareListener.ExchangeAsync(
            port => $"GET /events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nAccept: text/event-stream\r\nLast-Event-ID: 7\r\n\r\n", cancellationToken);
        var context = exchange.Context;
        context.Response.ContentType = "text/event-stream";

        HeaderMemory.Release(context.Request);
        var body = ResponseBodies.Open(context.Response, ListenerInternals.Probe(WritePath.Direct));
        await BareListener.WriteAsync(body, "hello");

        Assert.That((context.Request.Headers.Count, context.Request.KeepAlive), Is.EqualTo((0, false)), "the request's headers are gone, its keep-alive answer is not");
        Assert.That(context.Response.Headers.AllKeys.Select(k => (k, context.Response.Headers[k])), Is.EqualTo(new[] { ((string?)"Connection", (string?)"close") }));
        Assert.That(BareListener.CachedBuffer(BareListener.Socket(context), SocketAsyncOperation.Send), Is.Null, "the socket's send arguments no longer hold the head's buffer");
        await body.EndAsync();

        var (head, chunked) = Wire.Split(await exchange.Client.ReadToEndAsync());
        Assert.That((Wire.Header(head, "Content-Type"), Wire.Header(head, "Connection")), Is.EqualTo(("text/event-stream", "close")), "the head went out whole before it was let go");
        Assert.That(Wire.DecodeChunked(chunked), Is.EqualTo(("hello", true, "")));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task FirstWrite_OnAKeptAliveRequest_TheConnectionAnswersTheNextRequestAfterTheStreamEnds(CancellationToken cancellationToken)
    {
        using var exchange = await BareListener.ExchangeAsync(port => $"GET /events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n", cancellationToken);
        var (first, client) = (exchange.Context, exchange.Client);
        HeaderMemory.Release(first.Request);
        var body = ResponseBodies.Open(first.Response, ListenerInternals.Probe(WritePath.Direct));
        await BareListener.WriteAsync(body, "hello");
        Assert.That(first.Response.Headers.Count, Is.EqualTo(0));
        await body.EndAsync();
        await client.ReadUntilAsync("0\r\n\r\n");

        await client.SendAsync($"GET /next HTTP/1.1\r\nHost: 127.0.0.1:{exchange.Port}\r\nX-Probe: 2\r\n\r\n");
        var second = await exchange.Listener.GetContextAsync().WaitAsync(cancellationToken);
        Assert.That((second.Request.RawUrl, second.Request.Headers["X-Probe"]), Is.EqualTo(("/next", "2")), "a kept-alive connection reads its next request with headers of its own");
        second.Response.ContentLength64 = 0;
        second.Response.Close();
        await client.ReadUntilAsync("Content-Length: 0");
    }
}
