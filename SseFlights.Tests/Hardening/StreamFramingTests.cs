using Microsoft.Extensions.Time.Testing;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Hardening;

/// <summary>
/// The bytes of /events on the wire, for each way a client can ask and each way a stream ends:
/// HTTP/1.0 gets a close-delimited body with exactly the event-stream bytes (no chunk framing),
/// HTTP/1.1 a chunked body that decodes to the same bytes and ends with the last chunk.
/// nginx's default proxy_pass speaks HTTP/1.0 to its upstream, so the first case is every default proxy.
/// </summary>
public class StreamFramingTests
{
    private const string Retry = "retry: 3000\n\n";
    private const string Snapshot = "event: snapshot\ndata: {\"flights\":[{\"flight\":\"A1\",\"origin\":\"London\",\"arrival\":\"08:15\",\"state\":\"\"}]}\nid: 0\n\n";
    private const string Landing = "event: flightStateUpdate\ndata: {\"flight\":\"A1\",\"state\":\"landing\"}\nid: 1\n\n";
    private const string Close = "event: closedConnection\ndata:\nid: 2\n\n";

    public enum Ending
    {
        Close,
        Drop,
        Shutdown,
    }

    private static string Scenario(Ending ending) => $$"""
        {
          "name": "Framing",
          "flights": [ { "flight": "A1", "origin": "London", "arrival": "08:15", "state": "" } ],
          "timeline": [
            { "at": 1, "event": "flightStateUpdate", "data": { "flight": "A1", "state": "landing" } },
            {{ending switch
            {
                Ending.Close => """{ "at": 2, "event": "closedConnection" }""",
                Ending.Drop => """{ "at": 2, "action": "drop" }, { "at": 100, "event": "flightStateUpdate", "data": { "flight": "A1", "state": "landed" } }""",
                _ => """{ "at": 100, "event": "flightStateUpdate", "data": { "flight": "A1", "state": "landed" } }""",
            }}}
          ]
        }
        """;

    [TestCase("HTTP/1.0", "", Ending.Close)]
    [TestCase("HTTP/1.0", "", Ending.Drop)]
    [TestCase("HTTP/1.0", "", Ending.Shutdown)]
    [TestCase("HTTP/1.0", "Connection: keep-alive\r\n", Ending.Close)]
    [TestCase("HTTP/1.1", "", Ending.Close)]
    [TestCase("HTTP/1.1", "", Ending.Drop)]
    [TestCase("HTTP/1.1", "", Ending.Shutdown)]
    [TestCase("HTTP/1.1", "Connection: close\r\n", Ending.Close)]
    [TestCase("HTTP/1.1", "Connection: close\r\n", Ending.Drop)]
    [TestCase("HTTP/1.1", "Connection: close\r\n", Ending.Shutdown)]
    [CancelAfter(30_000)]
    public async Task Events_EachProtocolAndEnding_BodyIsExactlyTheEventStreamInTheListenersFraming(string version, string headers, Ending ending)
    {
        var time = new FakeTimeProvider();
        var server = await TestServer.StartAsync(Scenario(ending), time);
        string response;
        bool stopped = false;
        try
        {
            using var connection = await RawConnection.OpenAsync(server.Port);
            await connection.SendAsync($"GET /events {version}\r\nHost: localhost\r\n{headers}\r\n");
            await connection.ReadUntilAsync("id: 0\n\n");
            time.Advance(TimeSpan.FromSeconds(1));
            await connection.ReadUntilAsync("id: 1\n\n");
            if (ending == Ending.Shutdown)
            {
                stopped = true;
                await server.DisposeAsync();
            }
            else
            {
                time.Advance(TimeSpan.FromSeconds(1));
            }

            response = await connection.ReadToEndAsync();
        }
        finally
        {
            if (!stopped)
            {
                await server.DisposeAsync();
            }
        }

        string expected = Retry + Snapshot + Landing + (ending == Ending.Close ? Close : "");
        var (head, body) = Wire.Split(response);
        Assert.That(head, Does.StartWith("HTTP/1.1 200 OK\r\n"));
        if (version == "HTTP/1.0")
        {
            // Close-delimited (RFC 9112 §6.3): the body is the stream's bytes and the close ends it.
            Assert.That(Wire.Header(head, "Transfer-Encoding"), Is.Null, head);
            Assert.That(Wire.Header(head, "Connection"), Is.EqualTo("close"), head);
            Assert.That(body, Is.EqualTo(expected));
        }
        else
        {
            Assert.That(Wire.Header(head, "Transfer-Encoding"), Is.EqualTo("chunked"), head);
            var (payload, terminated, after) = Wire.DecodeChunked(body);
            Assert.That(payload, Is.EqualTo(expected));
            Assert.That((terminated, after), Is.EqualTo((true, "")), "the body must end with exactly one last chunk, then nothing");
        }
    }
}
