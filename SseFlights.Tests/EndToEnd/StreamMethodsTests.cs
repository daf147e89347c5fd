using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.EndToEnd;

/// <summary>
/// Streams on other methods (issue #24, point 1): a method the scenario lists gets the stream as a GET
/// would, with a body of up to 64 KiB that the request log keeps; any other gets 405 with Allow; a CORS
/// preflight for a POST with a JSON body is answered for an allowed origin; rules match a method or a header.
/// </summary>
public class StreamMethodsTests
{
    private const string Token = "t";

    private const string PostScenario = """
        { "name": "P", "methods": ["GET", "POST"], "corsOrigins": ["http://page.example"], "customEvents": ["note"], "flights": [],
          "timeline": [ { "at": 1, "event": "note", "data": "a" } ] }
        """;

    private static Task<TestServer> StartAsync(string scenario) =>
        TestServer.StartAsync(scenario, new FakeTimeProvider(), o => o with { Control = true, ControlToken = Token });

    private static string Post(string target, string body, string extra = "") =>
        $"POST {target} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n{extra}\r\n{body}";

    private static async Task<JsonElement> LogAsync(TestServer server)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/control/requests");
        request.Headers.Authorization = new("Bearer", Token);
        using var response = await server.Http.SendAsync(request);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Post_AListedMethod_GetsTheStreamAsAGetWould_AndTheLogKeepsItsBody()
    {
        await using var server = await StartAsync(PostScenario);
        using var connection = await RawConnection.OpenAsync(server.Port);

        await connection.SendAsync(Post("/events?client=p", """{"board":"arrivals"}"""));
        string text = await connection.ReadUntilAsync("id: 0\n\n");

        var (head, body) = Wire.Split(text);
        Assert.That((head.Split("\r\n")[0], Wire.Header(head, "Content-Type")), Is.EqualTo(("HTTP/1.1 200 OK", "text/event-stream; charset=utf-8")));
        Assert.That(Wire.DecodeChunked(body).Payload, Is.EqualTo("retry: 3000\n\nevent: snapshot\ndata: {\"flights\":[]}\nid: 0\n\n"));
        var logged = (await LogAsync(server)).EnumerateArray().Single();
        Assert.That((logged.GetProperty("method").GetString(), logged.GetProperty("body").GetString(), logged.GetProperty("client").GetString()), Is.EqualTo(("POST", """{"board":"arrivals"}""", "p")));
    }

    [TestCase(64 * 1024, 200)]
    [TestCase(64 * 1024 + 1, 413)]
    [CancelAfter(30_000)]
    public async Task Post_ABodyUpTo64KiBGetsTheStream_OneByteMoreIs413(int bytes, int status)
    {
        await using var server = await StartAsync(PostScenario);
        using var connection = await RawConnection.OpenAsync(server.Port);

        await connection.SendAsync(Post("/events", new string('b', bytes)));
        string text = await connection.ReadUntilAsync("\r\n\r\n");

        Assert.That(text.Split("\r\n")[0], Is.EqualTo(status == 200 ? "HTTP/1.1 200 OK" : "HTTP/1.1 413 Content Too Large"));
        if (status == 413)
        {
            Assert.That(Wire.Split(await connection.ReadToEndAsync()).Body, Is.EqualTo("Content too large: a request for the stream may carry at most 65536 bytes.\n"));
        }
    }

    [TestCase(false, "POST", "GET, HEAD, OPTIONS")]
    [TestCase(true, "PUT", "GET, POST, HEAD, OPTIONS")]
    [TestCase(true, "DELETE", "GET, POST, HEAD, OPTIONS")]
    [CancelAfter(30_000)]
    public async Task UnlistedMethod_Is405WithTheMethodsThatAreAllowed(bool postListed, string method, string allow)
    {
        await using var server = await StartAsync(postListed ? PostScenario : Scenarios.Tutorial);

        var response = await RawHttp.SendAsync(server.Port, $"{method} /events HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\n{{}}");

        Assert.That((response.Status, response.Header("Allow"), response.Body), Is.EqualTo((405, allow, $"Method not allowed; use {allow}.\n")));
        Assert.That((await LogAsync(server)).EnumerateArray().Select(e => e.GetProperty("method").GetString()), Is.EqualTo(new[] { method }), "logged all the same");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Preflight_ForAPostWithJson_FromAnAllowedOrigin_IsAnswered_AndFromAnotherIsNot()
    {
        await using var server = await StartAsync(PostScenario);
        const string Preflight = "OPTIONS /events HTTP/1.1\r\nHost: localhost\r\nOrigin: {0}\r\nAccess-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type\r\n\r\n";

        var allowed = await RawHttp.SendAsync(server.Port, string.Format(Preflight, "http://page.example"));
        var other = await RawHttp.SendAsync(server.Port, string.Format(Preflight, "http://evil.example"));

        Assert.That(
            (allowed.Status, allowed.Header("Access-Control-Allow-Origin"), allowed.Header("Access-Control-Allow-Methods"), allowed.Header("Access-Control-Allow-Headers")),
            Is.EqualTo((204, "http://page.example", "GET, POST", "Last-Event-ID, Cache-Control, Content-Type")));
        Assert.That((other.Status, other.Header("Access-Control-Allow-Origin"), other.Header("Access-Control-Allow-Methods")), Is.EqualTo((204, (string?)null, (string?)null)));

        using var post = await RawConnection.OpenAsync(server.Port);
        await post.SendAsync(Post("/events", "{}", "Origin: http://page.example\r\n"));
        var (head, _) = Wire.Split(await post.ReadUntilAsync("\r\n\r\n"));
        Assert.That((head.Split("\r\n")[0], Wire.Header(head, "Access-Control-Allow-Origin")), Is.EqualTo(("HTTP/1.1 200 OK", "http://page.example")), "the stream itself may be read by that page");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Rules_MatchingAMethodOrAHeader_AnswerOnlyThoseRequests()
    {
        await using var server = await StartAsync("""
            { "name": "R", "methods": ["GET", "POST"], "flights": [], "timeline": [ { "at": 1, "comment": "x" } ],
              "responses": [ { "method": "POST", "status": 500 }, { "header": { "name": "X-Case", "value": "teapot" }, "status": 418 } ] }
            """);

        var post = await RawHttp.SendAsync(server.Port, Post("/events", "{}"));
        var teapot = await RawHttp.SendAsync(server.Port, "GET /events HTTP/1.1\r\nHost: localhost\r\nX-Case: teapot\r\n\r\n");
        using var plain = await server.Http.GetAsync("events", HttpCompletionOption.ResponseHeadersRead);

        Assert.That((post.Status, teapot.Status, plain.StatusCode), Is.EqualTo((500, 418, HttpStatusCode.OK)));
    }
}
