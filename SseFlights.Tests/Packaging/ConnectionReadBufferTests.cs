using System.Net;
using System.Reflection;
using SseFlights.Http;
using SseFlights.Http.Listener;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Packaging;

/// <summary>
/// Letting go of a connection's 8 KiB read buffer once its request is read: it is really gone, the
/// listener reads a later request on the same connection all the same, and a runtime without the
/// fields is left alone.
/// </summary>
public class ConnectionReadBufferTests
{
    private static readonly Type? ConnectionType = Type.GetType("System.Net.HttpConnection, System.Net.HttpListener");

    [Test]
    public void FindFields_OnTheListenersConnection_FindsAllThree()
    {
        var fields = ListenerInternals.FindConnectionFields(ConnectionType);
        Assert.That((fields?.Connection.Name, fields?.Buffer.Name, fields?.Socket.Name), Is.EqualTo(("_connection", "_buffer", "_socket")));
        Assert.That(ListenerInternals.Probe(WritePath.Direct).ReadBufferReleasable, Is.True, "HttpListener's internals changed: every open stream keeps an 8 KiB read buffer again. Update ConnectionReadBuffer.");
    }

    [Test]
    public void FindFields_WithoutTheType_IsNull() => Assert.That(ListenerInternals.FindConnectionFields(null), Is.Null);

    [Test]
    public void FindFields_OnATypeWithoutTheField_IsNull() => Assert.That(ListenerInternals.FindConnectionFields(typeof(MemoryStream)), Is.Null);

    [Test]
    [CancelAfter(20_000)]
    public async Task Release_ThenAnotherRequestOnTheSameConnection_IsReadAndAnsweredAsUsual(CancellationToken cancellationToken)
    {
        using var listener = BareListener.Start(out int port);
        using var client = await RawConnection.OpenAsync(port);
        var buffer = ConnectionType!.GetField("_buffer", BindingFlags.Instance | BindingFlags.NonPublic)!;
        var connection = typeof(HttpListenerContext).GetField("_connection", BindingFlags.Instance | BindingFlags.NonPublic)!;
        var seen = new List<int?>();
        for (int request = 1; request <= 2; request++)
        {
            await client.SendAsync($"GET /r{request} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n");
            var context = await listener.GetContextAsync().WaitAsync(cancellationToken);
            ConnectionReadBuffer.Release(context, ListenerInternals.Probe(WritePath.Direct));
            seen.Add(((byte[]?)buffer.GetValue(connection.GetValue(context)))?.Length);

            byte[] body = System.Text.Encoding.ASCII.GetBytes($"answer {context.Request.RawUrl}");
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body, cancellationToken);
            context.Response.Close();
            await client.ReadUntilAsync($"answer /r{request}");
        }

        Assert.That(seen, Is.EqualTo(new int?[] { null, null }), "released after each request");
        Assert.That(client.Text, Does.EndWith("answer /r2").And.Contains("answer /r1"), "the kept-alive connection's second request was read into a new buffer");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Release_WithTheStreamOpen_NoLongerHoldsTheReadBufferInTheConnectionOrTheSocket(CancellationToken cancellationToken)
    {
        using var exchange = await BareListener.ExchangeAsync(port => $"GET /events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n", cancellationToken);
        var context = exchange.Context;
        var connection = BareListener.Connection(context);
        byte[] readBuffer = (byte[])ConnectionType!.GetField("_buffer", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(connection)!;
        var socket = BareListener.Socket(context);
        Assert.That(BareListener.CachedBuffer(socket, System.Net.Sockets.SocketAsyncOperation.Receive), Is.SameAs(readBuffer), "before: the socket's cached receive arguments point at the read buffer");

        // As the stream endpoint does it: released before the first write, which the stream still makes.
        ConnectionReadBuffer.Release(context, ListenerInternals.Probe(WritePath.Direct));
        var body = ResponseBodies.Open(context.Response, ListenerInternals.Probe(WritePath.Direct));
        await BareListener.WriteAsync(body, "hello");

        await Eventually.TrueAsync(() => BareListener.CachedBuffer(socket, System.Net.Sockets.SocketAsyncOperation.Receive) is null, TimeSpan.FromSeconds(5), "the socket to let go of the read buffer");
        Assert.That(ConnectionType.GetField("_buffer", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(connection), Is.Null);
        await exchange.Client.ReadUntilAsync("hello");
        body.Cut();
    }
}
