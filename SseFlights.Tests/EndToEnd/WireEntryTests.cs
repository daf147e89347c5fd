using System.Text;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.EndToEnd;

/// <summary>The wire-level entries and per-connection answers, byte for byte over a real socket.</summary>
[Parallelizable(ParallelScope.All)]
public class WireEntryTests
{
    private static string Latin1(string text) => Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(text));

    private static string Scenario(string timeline, string extra = "") =>
        "{ \"name\": \"W\", " + extra + " \"flights\": [], \"timeline\": [ " + timeline + " ] }";

    private static async Task<RawConnection> GetAsync(TestServer server, string target = "/events")
    {
        var connection = await RawConnection.OpenAsync(server.Port);
        await connection.SendAsync($"GET {target} HTTP/1.1\r\nHost: localhost\r\n\r\n");
        return connection;
    }

    [Test]
    [CancelAfter(15_000)]
    public async Task Stream_BareCrlfStreamWithBom_CarriesEveryEntryExactly()
    {
        await using var server = await TestServer.StartAsync(Scenario("""
            { "at": 0.3, "comment": "one\ntwo" },
            { "at": 0.3, "retry": 500 },
            { "at": 0.3, "raw": "data: a\rdata:b\r\r" },
            { "at": 0.3, "event": "closedConnection" }
            """, """ "snapshot": false, "wire": { "lineEnding": "crlf", "bom": true }, """));
        using var connection = await GetAsync(server);

        var (_, body) = Wire.Split(await connection.ReadToEndAsync());
        var (payload, terminated, _) = Wire.DecodeChunked(body);

        Assert.That(payload, Is.EqualTo(Latin1("\uFEFFretry: 3000\r\n\r\n: one\r\n: two\r\n\r\nretry: 500\r\n\r\ndata: a\rdata:b\r\revent: closedConnection\r\ndata:\r\nid: 1\r\n\r\n")));
        Assert.That(terminated, Is.True);
    }

    [Test]
    [CancelAfter(15_000)]
    public async Task Stream_SplitRaw_ArrivesOneByteAtATimeEvenInsideAUtf8Character()
    {
        await using var server = await TestServer.StartAsync(Scenario("""
            { "at": 0.3, "raw": "data: é\n\n", "split": { "bytes": 1, "delayMs": 30 } },
            { "at": 0.3, "event": "closedConnection" }
            """, """ "snapshot": false, """));
        using var connection = await GetAsync(server);

        await connection.ReadToEndAsync();

        // Each piece is its own one-byte chunk ("1\r\nX\r\n"), written 30 ms apart. The chunks are
        // read from the whole body, so a loaded machine that joins two reads cannot hide one.
        var pieces = string.Concat(connection.Reads).Split("\r\n1\r\n").Skip(1).Select(p => p[..1]);
        Assert.That(pieces, Is.EqualTo(Latin1("data: é\n\n").Select(c => c.ToString())));
        Assert.That(connection.Reads.Count(r => r.StartsWith("1\r\n", StringComparison.Ordinal)), Is.GreaterThanOrEqualTo(5), "the pieces arrive as TCP reads of their own");
    }

    [Test]
    [CancelAfter(15_000)]
    public async Task Stream_LiveOnlyFrames_AreNotResentAndDoNotCountAsEvents()
    {
        await using var server = await TestServer.StartAsync(Scenario("""
            { "at": 0.2, "event": "note", "data": "x" },
            { "at": 0.2, "comment": "c" },
            { "at": 0.2, "raw": ": r\n\n" }
            """, """ "customEvents": ["note"], "snapshot": false, """));
        await Eventually.TrueAsync(() => server.Timeline!.IsCompleted, TimeSpan.FromSeconds(10), "the timeline has played");
        var resumed = await RawConnection.OpenAsync(server.Port);
        await resumed.SendAsync("GET /events HTTP/1.1\r\nHost: localhost\r\nLast-Event-ID: 0\r\n\r\n");
        await resumed.ReadUntilAsync("id: 1\n\n\r\n");

        Assert.That(Wire.Split(resumed.Text).Body, Is.EqualTo("28\r\nretry: 3000\n\nevent: note\ndata: x\nid: 1\n\n\r\n"));
        resumed.Dispose();
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Responses_RulesByRequestNumberPerClient_AnswerEachRequestAsScripted()
    {
        await using var server = await TestServer.StartAsync(Scenario("""{ "at": 60, "comment": "later" }""", """
             "responses": [
               { "request": 2, "status": 500 },
               { "request": 3, "status": 307, "location": "/events?client=b" },
               { "request": 4, "contentType": "text/plain" },
               { "request": 5, "delayMs": 300 },
               { "request": 6, "endAfterMs": 200 },
               { "request": 7, "status": 204 }
             ],
            """));

        async Task<RawResponse> Get(string client) => await RawHttp.GetAsync(server.Port, $"/events?client={client}", "");
        var first = await RawConnection.OpenAsync(server.Port);
        await first.SendAsync("GET /events?client=a HTTP/1.1\r\nHost: localhost\r\n\r\n");
        await first.ReadUntilAsync("retry: 3000\n\n");
        first.Dispose();

        var second = await Get("a");
        Assert.That((second.Status, second.Header("Content-Type"), second.Body), Is.EqualTo((500, "text/plain; charset=utf-8", "Scripted answer: the scenario's responses rule for request 2 says 500.\n")));
        var third = await Get("a");
        Assert.That((third.Status, third.Header("Location")), Is.EqualTo((307, "/events?client=b")));

        // Another client's counter starts at 1: its request 1 is served normally.
        var other = await RawConnection.OpenAsync(server.Port);
        await other.SendAsync("GET /events?client=b HTTP/1.1\r\nHost: localhost\r\n\r\n");
        await other.ReadUntilAsync("retry: 3000\n\n");
        Assert.That(Wire.Header(Wire.Split(other.Text).Head, "Content-Type"), Is.EqualTo("text/event-stream; charset=utf-8"));
        other.Dispose();

        var fourth = await RawConnection.OpenAsync(server.Port);
        await fourth.SendAsync("GET /events?client=a HTTP/1.1\r\nHost: localhost\r\n\r\n");
        await fourth.ReadUntilAsync("retry: 3000\n\n");
        Assert.That(Wire.Header(Wire.Split(fourth.Text).Head, "Content-Type"), Is.EqualTo("text/plain"));
        fourth.Dispose();

        var fifth = await RawConnection.OpenAsync(server.Port);
        await fifth.SendAsync("GET /events?client=a HTTP/1.1\r\nHost: localhost\r\n\r\n");
        var started = DateTime.UtcNow;
        await fifth.ReadUntilAsync("\r\n\r\n");
        Assert.That(DateTime.UtcNow - started, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(250)), "headers withheld for the delay");
        fifth.Dispose();

        var sixth = await RawConnection.OpenAsync(server.Port);
        await sixth.SendAsync("GET /events?client=a HTTP/1.1\r\nHost: localhost\r\n\r\n");
        var (payload, terminated, _) = Wire.DecodeChunked(Wire.Split(await sixth.ReadToEndAsync()).Body);
        Assert.That((payload.Replace("\n", "|"), terminated), Is.EqualTo(("retry: 3000||event: snapshot|data: {\"flights\":[]}|id: 0||", true)), "ended cleanly after 200 ms");
        sixth.Dispose();

        var seventh = await Get("a");
        Assert.That((seventh.Status, seventh.Body.Length), Is.EqualTo((204, 0)));
    }
}
