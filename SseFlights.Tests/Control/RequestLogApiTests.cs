using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Control;

/// <summary>
/// The request log (issue #24, point 2): <c>GET /api/control/requests[?client=KEY]</c> returns every request
/// for /events, oldest first, with its key and number, method, target, headers as received, body, when it
/// came and the milliseconds since that key's previous request; <c>DELETE</c> clears it; the token guards both.
/// </summary>
public class RequestLogApiTests
{
    private const string Token = "t";

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(TestServer server, HttpMethod method, string path, string? token = Token)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await server.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Requests_ListEveryRequestForTheStream_WithItsHeadersBodyNumberAndTheGapSinceTheKeysPrevious()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        await using var server = await TestServer.StartAsync(
            """{ "name": "L", "methods": ["GET", "POST"], "flights": [], "timeline": [ { "at": 1, "comment": "x" } ] }""",
            time, o => o with { Control = true, ControlToken = Token });

        await OpenStreamAsync(server, "GET /events?client=a HTTP/1.1\r\nHost: localhost\r\nLast-Event-ID: 7\r\nX-Test: one\r\n\r\n");
        time.Advance(TimeSpan.FromMilliseconds(1500));
        await OpenStreamAsync(server, "POST /events?client=a HTTP/1.1\r\nHost: localhost\r\nContent-Length: 7\r\n\r\n{\"q\":1}");
        await RawHttp.SendAsync(server.Port, "HEAD /events HTTP/1.1\r\nHost: localhost\r\n\r\n");

        var (status, body) = await SendAsync(server, HttpMethod.Get, "api/control/requests");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        var entries = JsonDocument.Parse(body).RootElement.EnumerateArray().ToList();
        Assert.That(entries.Select(e => e.ToString()).Take(1), Is.EqualTo(new[]
        {
            """{"client":"a","number":1,"method":"GET","target":"/events?client=a","headers":{"Host":"localhost","Last-Event-ID":"7","X-Test":"one"},"body":null,"receivedAt":"2026-12-01T08:00:00Z","sincePreviousMs":null}""",
        }));
        Assert.That(entries.Skip(1).Select(e => (e.GetProperty("client").ToString(), e.GetProperty("number").GetInt32(), e.GetProperty("method").GetString(), e.GetProperty("body").ToString(), e.GetProperty("sincePreviousMs").ToString())),
            Is.EqualTo(new[] { ("a", 2, "POST", "{\"q\":1}", "1500"), ("", 1, "HEAD", "", "") }));
        Assert.That(entries[2].GetProperty("client").ValueKind, Is.EqualTo(JsonValueKind.Null));

        var (_, onlyA) = await SendAsync(server, HttpMethod.Get, "api/control/requests?client=a");
        Assert.That(JsonDocument.Parse(onlyA).RootElement.EnumerateArray().Select(e => e.GetProperty("number").GetInt32()), Is.EqualTo(new[] { 1, 2 }));
    }

    /// <summary>Sends a request for the stream and reads its head and preamble, then lets the connection go.</summary>
    private static async Task OpenStreamAsync(TestServer server, string request)
    {
        using var connection = await RawConnection.OpenAsync(server.Port);
        await connection.SendAsync(request);
        await connection.ReadUntilAsync("retry: 3000\n\n");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Delete_ClearsTheLog_AndTheNumbersGoOn()
    {
        await using var server = await TestServer.StartAsync(Scenarios.Tutorial, new FakeTimeProvider(), o => o with { Control = true, ControlToken = Token });
        await RawHttp.SendAsync(server.Port, "HEAD /events?client=c HTTP/1.1\r\nHost: localhost\r\n\r\n");
        await RawHttp.SendAsync(server.Port, "HEAD /events?client=c HTTP/1.1\r\nHost: localhost\r\n\r\n");

        Assert.That(await SendAsync(server, HttpMethod.Delete, "api/control/requests"), Is.EqualTo((HttpStatusCode.OK, """{"cleared":2}""")));
        Assert.That(await SendAsync(server, HttpMethod.Get, "api/control/requests"), Is.EqualTo((HttpStatusCode.OK, "[]")));
        await RawHttp.SendAsync(server.Port, "HEAD /events?client=c HTTP/1.1\r\nHost: localhost\r\n\r\n");
        var (_, after) = await SendAsync(server, HttpMethod.Get, "api/control/requests");
        Assert.That(JsonDocument.Parse(after).RootElement[0].GetProperty("number").GetInt32(), Is.EqualTo(3));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Requests_WithoutTheToken_Is401_AndOtherMethodsAre405()
    {
        await using var server = await TestServer.StartAsync(Scenarios.Tutorial, new FakeTimeProvider(), o => o with { Control = true, ControlToken = Token });

        Assert.That((await SendAsync(server, HttpMethod.Get, "api/control/requests", token: null)).Status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await SendAsync(server, HttpMethod.Delete, "api/control/requests", token: "wrong")).Status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await SendAsync(server, HttpMethod.Put, "api/control/requests")).Status, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
    }
}
