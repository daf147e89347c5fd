using SseFlights.Tests.Support;

namespace SseFlights.Tests.Hardening;

/// <summary>
/// Malformed and hostile requests over raw sockets: each gets a proper answer, nothing from the
/// request comes back unescaped, and the server goes on serving. Requests carry a Host the server
/// answers, since HttpListener itself answers 404 to other hosts before our code sees them.
/// </summary>
public class BadInputTests
{
    private static TestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() =>
        _server = await TestServer.StartAsync(Scenarios.Busy(50, 0.1, start: 0.2), configure: o => o with { HeartbeatSeconds = 1 });

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [TearDown]
    public async Task ServerStillServesAsync()
    {
        var health = await RawHttp.GetAsync(_server.Port, "/healthz");
        Assert.That(health.Status, Is.EqualTo(200), "the server must still serve after: " + TestContext.CurrentContext.Test.Name);
    }

    // HttpListener answers these itself, before our code sees a request.
    [TestCase("HELLO WORLD\r\n\r\n", 400)]
    [TestCase("GET /\r\n\r\n", 400)]
    [TestCase("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505)]
    [TestCase("GET /healthz HTTP/1.1\r\n\r\n", 400)]
    [TestCase("GET /healthz HTTP/1.1\r\nHost: localhost\r\nBroken header line\r\n\r\n", 400)]
    [CancelAfter(20_000)]
    public async Task MalformedRequest_GetsA4xxOr505(string request, int status)
    {
        var response = await RawHttp.SendAsync(_server.Port, request);
        Assert.That(response.Status, Is.EqualTo(status), response.Head);
    }

    [TestCase("/%zz", 400)]
    [TestCase("/%e2%28%a1", 400)]
    [TestCase("/%", 400)]
    [TestCase("/a\u0001b", 404)]
    [TestCase("/a%00b", 404)]
    [TestCase("/a%0d%0aSet-Cookie:%20x=1", 404)]
    [TestCase("/<script>alert(1)</script>", 404)]
    [CancelAfter(20_000)]
    public async Task HostilePath_GetsA4xxThatEchoesNothing(string target, int status)
    {
        var response = await RawHttp.GetAsync(_server.Port, target);
        Assert.That(response.Status, Is.EqualTo(status), response.Head);
        Assert.That(response.Head + response.Body, Does.Not.Contain("script").And.Not.Contain("Set-Cookie").And.Not.Contain("/a"));
        Assert.That(response.Body, Is.EqualTo(status == 404 ? "Not found.\n" : "Bad request: the request target is malformed.\n"));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task AbsoluteFormTarget_IsServedLikeItsPath()
    {
        var response = await RawHttp.GetAsync(_server.Port, $"http://localhost:{_server.Port}/healthz");
        Assert.That(response.Status, Is.EqualTo(200));
    }

    [TestCase("abc")]
    [TestCase("-5")]
    [TestCase("99999999999999999999")]
    [TestCase("1.5")]
    [TestCase("0x10")]
    [TestCase("<script>")]
    [CancelAfter(20_000)]
    public async Task UnusableLastEventId_GetsASnapshotAndIsNeverEchoed(string value)
    {
        await AssertStartsWithSnapshotAsync($"Last-Event-ID: {value}\r\n", value);
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task TenKilobyteLastEventId_GetsASnapshot() =>
        await AssertStartsWithSnapshotAsync($"Last-Event-ID: {new string('7', 10_240)}\r\n", "7777777777777777777");

    [Test]
    [CancelAfter(20_000)]
    public async Task LastEventIdWithABareCarriageReturn_CannotInjectAHeader() =>
        await AssertStartsWithSnapshotAsync("Last-Event-ID: 1\rX-Injected: yes\r\n", "Injected");

    [TestCase("Last-Event-ID: 1\r\nLast-Event-ID: 2\r\n", "3", Description = "HttpListener keeps the last of repeated headers")]
    [TestCase("Last-Event-ID:    3   \r\n", "4", Description = "whitespace around a field value is not part of it (RFC 9110 §5.5)")]
    [CancelAfter(20_000)]
    public async Task LastEventId_AsTheHttpParserReadsIt_Resumes(string headers, string firstId)
    {
        await Eventually.ValueAsync(() => _server.GetJsonAsync("healthz"), h => h.GetProperty("lastEventId").GetInt64() >= 5, TimeSpan.FromSeconds(10), "event 5");
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", _server.Port);
        await socket.SendAsync(System.Text.Encoding.Latin1.GetBytes($"GET /events HTTP/1.1\r\nHost: localhost\r\n{headers}\r\n"));
        string text = await ReadUntilAsync(socket, "\nid: ");
        Assert.That(text[text.IndexOf("\r\n\r\n", StringComparison.Ordinal)..], Does.Match(@"^\r\n\r\n[0-9a-f]+\r\nretry: 3000\n\nevent: flightStateUpdate\n.*\nid: " + firstId + "\n"));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task UnknownQueryParameters_AreIgnored()
    {
        var response = await RawHttp.GetAsync(_server.Port, "/api/flights?x=1&lastEventIdd=5&%41=%42");
        Assert.That(response.Status, Is.EqualTo(200));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task OverlongRequestLine_Gets414()
    {
        // HttpListener has no limit of its own on the request line, so ours is the one that answers.
        var response = await RawHttp.GetAsync(_server.Port, "/" + new string('a', 40_000));
        Assert.That(response.Status, Is.EqualTo(414));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task HugeHeader_Gets400()
    {
        var response = await RawHttp.GetAsync(_server.Port, "/healthz", $"X-Big: {new string('b', 64 * 1024)}\r\n");
        Assert.That(response.Status, Is.EqualTo(400));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task TooManyHeaders_Get400()
    {
        string headers = string.Concat(Enumerable.Range(0, 5000).Select(i => $"X-H{i}: v\r\n"));
        var response = await RawHttp.GetAsync(_server.Port, "/healthz", headers);
        Assert.That(response.Status, Is.EqualTo(400));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task BodyOnGet_Gets400AndTheConnectionCloses()
    {
        var response = await RawHttp.SendAsync(_server.Port, "GET /healthz HTTP/1.1\r\nHost: localhost\r\nContent-Length: 11\r\n\r\nhello world");
        Assert.That(response.Status, Is.EqualTo(400));
        Assert.That(response.Header("Connection"), Is.EqualTo("close"));
        Assert.That(response.Body, Is.EqualTo("Bad request: this server takes no request bodies.\n"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task SlowAndIncompleteRequests_DoNotHoldUpAnyoneElse()
    {
        var sockets = new List<System.Net.Sockets.Socket>();
        for (int i = 0; i < 100; i++)
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            await socket.ConnectAsync("127.0.0.1", _server.Port);
            await socket.SendAsync("GET /events HTTP/1.1\r\nHo"u8.ToArray());
            sockets.Add(socket);
        }

        // One more that trickles its headers a byte at a time.
        var trickle = sockets[0];
        for (int i = 0; i < 20; i++)
        {
            await trickle.SendAsync("st: localhost\r\n"u8.ToArray().AsMemory(i % 15, 1));
            // Other requests are served while one trickles: each health check must answer within 2 s.
            var health = await RawHttp.GetAsync(_server.Port, "/healthz").WaitAsync(TimeSpan.FromSeconds(2));
            Assert.That(health.Status, Is.EqualTo(200));
        }

        await using var stream = await SseConnection.OpenAsync(_server.Http);
        Assert.That((await stream.NextAsync())!.Value.EventType, Is.EqualTo("snapshot"));
        sockets.ForEach(s => s.Dispose());
    }

    private static async Task AssertStartsWithSnapshotAsync(string headers, string mustNotEcho)
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", _server.Port);
        await socket.SendAsync(System.Text.Encoding.Latin1.GetBytes($"GET /events HTTP/1.1\r\nHost: localhost\r\n{headers}\r\n"));
        string text = await ReadUntilAsync(socket, "\nid: ");
        Assert.That(text, Does.StartWith("HTTP/1.1 200 OK\r\n"));
        Assert.That(text[text.IndexOf("\r\n\r\n", StringComparison.Ordinal)..], Does.Contain("\r\nretry: 3000\n\nevent: snapshot\n"));
        Assert.That(text, Does.Not.Contain(mustNotEcho));
    }

    private static async Task<string> ReadUntilAsync(System.Net.Sockets.Socket socket, string marker)
    {
        var received = new System.Text.StringBuilder();
        var buffer = new byte[8192];
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!received.ToString().Contains(marker, StringComparison.Ordinal))
        {
            int read = await socket.ReceiveAsync(buffer, System.Net.Sockets.SocketFlags.None, cancel.Token);
            Assert.That(read, Is.GreaterThan(0), "the server closed the stream: " + received);
            received.Append(System.Text.Encoding.UTF8.GetString(buffer, 0, read));
        }

        // Read on to the end of the line the marker starts.
        while (!received.ToString()[(received.ToString().IndexOf(marker, StringComparison.Ordinal) + marker.Length)..].Contains('\n'))
        {
            int read = await socket.ReceiveAsync(buffer, System.Net.Sockets.SocketFlags.None, cancel.Token);
            received.Append(System.Text.Encoding.UTF8.GetString(buffer, 0, read));
        }

        return received.ToString();
    }
}
