using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using SseFlights.Http;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Hardening;

/// <summary>
/// Whole answers as bytes on one raw connection: HEAD never has a body, pipelined requests are
/// never left hanging, 204 has no body, an overlong target is a 414, and the Server header names us.
/// </summary>
public class HttpAnswerTests
{
    private static TestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await TestServer.StartAsync(Scenarios.Busy(20, 1, start: 1000));

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [TestCase("/nope", 404)]
    [TestCase("/%zz", 400)]
    [TestCase("/healthz", 200)]
    [TestCase("/index.html", 200)]
    [CancelAfter(20_000)]
    public async Task Head_AnyStatus_HasNoBodyAndTheNextRequestIsNotCorrupted(string target, int status)
    {
        using var connection = await RawConnection.OpenAsync(_server.Port);
        await connection.SendAsync($"HEAD {target} HTTP/1.1\r\nHost: localhost\r\n\r\n");
        var (head, _) = Wire.Split(await connection.ReadUntilAsync("\r\n\r\n"));
        Assert.That(head, Does.StartWith($"HTTP/1.1 {status} "));

        // The HEAD's answer closes the connection (see the pipelining test for why), so a client
        // sends its next request on a new one, and this one reads nothing more.
        Assert.That(Wire.Header(head, "Connection"), Is.EqualTo("close"), head);
        await connection.SendAsync("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
        string all = await connection.ReadToEndAsync();
        Assert.That(all, Is.EqualTo(head + "\r\n\r\n"), "nothing may follow a HEAD's head");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Head_Events_HasNoBody()
    {
        // The status is GET's (pinned with the endpoint); whatever it is, no byte follows the head.
        using var connection = await RawConnection.OpenAsync(_server.Port);
        await connection.SendAsync("HEAD /events HTTP/1.1\r\nHost: localhost\r\n\r\n");
        string all = await connection.ReadToEndAsync();
        Assert.That(Wire.Split(all).Body, Is.Empty, all);
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Head_OverlongTarget_Gets414WithNoBody()
    {
        using var connection = await RawConnection.OpenAsync(_server.Port);
        await connection.SendAsync($"HEAD /{new string('a', RequestPath.MaxLength)} HTTP/1.1\r\nHost: localhost\r\n\r\n");
        var (head, body) = Wire.Split(await connection.ReadToEndAsync());
        Assert.That((head.Split("\r\n")[0], body), Is.EqualTo(("HTTP/1.1 414 URI Too Long", "")));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task ThreePipelinedGets_FirstIsAnsweredAndTheConnectionCloses_SoNoneIsLeftHanging()
    {
        const string Get = "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n";
        using var connection = await RawConnection.OpenAsync(_server.Port);
        await connection.SendAsync(Get + Get + Get);
        string all = await connection.ReadToEndAsync();

        // HttpListener reads all three with the first and discards the other two; the close tells
        // the client (RFC 9112 §9.3.2) to send them again.
        var (head, body) = Wire.Split(all);
        Assert.That(Regex.Count(all, "HTTP/1.1 "), Is.EqualTo(1), all);
        Assert.That(head, Does.StartWith("HTTP/1.1 200 OK\r\n"));
        Assert.That(Wire.Header(head, "Connection"), Is.EqualTo("close"));
        Assert.That(body.Length, Is.EqualTo(int.Parse(Wire.Header(head, "Content-Length")!)));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task OverlongTarget_Gets414WithAOneLineReason()
    {
        var response = await RawHttp.GetAsync(_server.Port, "/" + new string('a', RequestPath.MaxLength));
        Assert.That((response.Status, response.Body), Is.EqualTo((414, $"URI too long: the request target is over {RequestPath.MaxLength} bytes.\n")));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task LongLastEventIdQuery_GetsASnapshotLikeAnyUnusableId()
    {
        using var connection = await RawConnection.OpenAsync(_server.Port);
        await connection.SendAsync($"GET /events?lastEventId={new string('7', 5000)} HTTP/1.1\r\nHost: localhost\r\n\r\n");
        // Up to the end of the snapshot's chunk, not just its frame: the chunk's closing CRLF may come in a later read.
        string text = await connection.ReadUntilAsync("id: 0\n\n\r\n");
        var (head, body) = Wire.Split(text);
        Assert.That(head, Does.StartWith("HTTP/1.1 200 OK\r\n"));
        Assert.That(Wire.DecodeChunked(body).Payload, Does.StartWith("retry: 3000\n\nevent: snapshot\n"));
    }

    [TestCase("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n", 200)]
    [TestCase("GET /nope HTTP/1.1\r\nHost: localhost\r\n\r\n", 404)]
    [TestCase("POST /healthz HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n", 405)]
    [TestCase("OPTIONS /events HTTP/1.1\r\nHost: localhost\r\n\r\n", 204)]
    [CancelAfter(20_000)]
    public async Task ServerHeader_NamesSseFlightsAndItsVersion(string request, int status)
    {
        var response = await RawHttp.SendAsync(_server.Port, request);
        Assert.That(response.Status, Is.EqualTo(status), response.Head + response.Body);
        Assert.That(response.Header("Server"), Is.EqualTo("sseflights/" + ServerIdentity.Version));
        Assert.That(ServerIdentity.Version, Does.Match(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$"), "a version without the +commit suffix");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task ServerHeader_OnTheEventStream_NamesSseFlights()
    {
        using var connection = await RawConnection.OpenAsync(_server.Port);
        await connection.SendAsync("GET /events HTTP/1.1\r\nHost: localhost\r\n\r\n");
        string text = await connection.ReadUntilAsync("\r\n\r\n");
        Assert.That(Wire.Header(Wire.Split(text).Head, "Server"), Is.EqualTo("sseflights/" + ServerIdentity.Version));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task NoContent_AfterTheClose_HasNoBody()
    {
        var time = new FakeTimeProvider();
        await using var server = await TestServer.StartAsync(Scenarios.Tutorial, time);
        time.Advance(TimeSpan.FromSeconds(12));
        await Eventually.ValueAsync(() => server.GetJsonAsync("healthz"), h => h.GetProperty("closed").GetBoolean(), TimeSpan.FromSeconds(10), "the board to close");

        using var connection = await RawConnection.OpenAsync(server.Port);
        await connection.SendAsync("GET /events HTTP/1.1\r\nHost: localhost\r\n\r\n");
        var (head, body) = Wire.Split(await connection.ReadToEndAsync());
        Assert.That(head, Does.StartWith("HTTP/1.1 204 No Content\r\n"));
        Assert.That((body, Wire.Header(head, "Transfer-Encoding")), Is.EqualTo(("", (string?)null)));

        // RFC 9110 §8.6 forbids Content-Length on a 204, but HttpListener writes "Content-Length: 0"
        // itself while it sends the head; README says so. This pins what it does today.
        Assert.That(Wire.Header(head, "Content-Length"), Is.EqualTo("0"));
    }
}
