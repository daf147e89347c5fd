using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using SseFlights.Http;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.EndToEnd;

/// <summary>The wire-level entries and per-connection answers, byte for byte over a real socket.</summary>
[Parallelizable(ParallelScope.All)]
public partial class WireEntryTests
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
    public async Task Stream_SplitRaw_ArrivesOneByteAtATimeEvenInsideAUtf8Character(CancellationToken cancellationToken)
    {
        // The pauses are on a fake clock: each piece waits for the clock, never for the reader, so a
        // loaded machine cannot join two pieces into one read, and a server that sent them together
        // (or before their pause) shows more bytes than the pieces so far.
        var time = new TimerWatchingTimeProvider();
        await using var server = await TestServer.StartAsync(Scenario("""
            { "at": 0.3, "raw": "data: é\n\n", "split": { "bytes": 1, "delayMs": 30 } },
            { "at": 0.3, "event": "closedConnection" }
            """, """ "snapshot": false, """), time);
        try
        {
            using var connection = await GetAsync(server).WaitAsync(cancellationToken);
            string sent = await connection.ReadUntilAsync("retry: 3000\n\n\r\n").WaitAsync(cancellationToken);
            time.Advance(TimeSpan.FromMilliseconds(300));

            string pieces = Latin1("data: é\n\n");
            for (int i = 0; i < pieces.Length; i++)
            {
                if (i > 0)
                {
                    // Only once the writer has begun the pause after piece i - 1: advanced before it, the
                    // clock would pass a pause that then starts later and never ends (a loaded machine).
                    await time.WhenTimersCreated(TimeSpan.FromMilliseconds(30), i).WaitAsync(cancellationToken);
                    time.Advance(TimeSpan.FromMilliseconds(29));
                    Assert.That(await connection.ReceivesWithinAsync(TimeSpan.FromMilliseconds(100)), Is.False, $"piece {i} came before its 30 ms pause was over");
                    time.Advance(TimeSpan.FromMilliseconds(1));
                }

                // Each piece is its own one-byte chunk, and nothing after it has been sent (after the last,
                // the close follows at once: no pause after the last piece).
                sent += $"1\r\n{pieces[i]}\r\n";
                string received = await connection.ReadUntilAsync(sent).WaitAsync(cancellationToken);
                if (i < pieces.Length - 1)
                {
                    Assert.That(received, Is.EqualTo(sent), $"after piece {i}");
                }
            }

            Assert.That(await connection.ReadToEndAsync().WaitAsync(cancellationToken), Is.EqualTo(sent + "25\r\nevent: closedConnection\ndata:\nid: 1\n\n\r\n0\r\n\r\n"));
        }
        finally
        {
            // A failed check leaves the writer in a pause on the fake clock: run the clock on, so the server can stop.
            time.Advance(TimeSpan.FromMinutes(1));
        }
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

    [Test]
    [CancelAfter(15_000)]
    public async Task Responses_NotModified_IsAHeadWithoutLocationOrBody(CancellationToken cancellationToken)
    {
        await using var server = await TestServer.StartAsync(Scenario("""{ "at": 60, "comment": "later" }""", """
             "responses": [ { "request": 1, "status": 304 } ],
            """));
        using var connection = await GetAsync(server, "/events?client=a");

        string response = await connection.ReadToEndAsync().WaitAsync(cancellationToken);

        // HttpListener writes the Content-Length itself, as on a 204 (HttpAnswerTests pins that); no Location, no body.
        Assert.That(DateHeader().Replace(response, "Date: (date)\r\n"), Is.EqualTo(
            $"HTTP/1.1 304 Not Modified\r\nServer: sseflights/{ServerIdentity.Version}\r\nDate: (date)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Responses_ARequestWaitingOutItsDelay_IsClosedByAShutdown_WhichDoesNotWaitForTheDelay()
    {
        // On a fake clock that never moves, a minute's delay only ends if the shutdown ends it: it used to wait
        // out the delay (60 s, or forever on this clock) and the server's shutdown with it.
        var requests = new StreamRequests();
        var scenario = SseFlights.Scenario.ScenarioLoader.Parse(System.Text.Encoding.UTF8.GetBytes(Scenario("""{ "at": 60, "comment": "later" }""", """
             "responses": [ { "request": 1, "delayMs": 60000 } ],
            """)), "delay.json");
        var server = await TestServer.StartAsync(scenario, new FakeTimeProvider(), log: requests.Logger);
        using var waiting = await GetAsync(server, "/events?client=a");
        await Eventually.TrueAsync(() => requests.Count == 1, TimeSpan.FromSeconds(5), "the request to be in, waiting out its delay");

        await server.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(await waiting.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(5)), Is.Empty, "closed unanswered: a client tries again elsewhere\n" + requests.Log);
        Assert.That(requests.Log, Does.Not.Contain("were still running"), "the shutdown did not wait for it");
    }

    [GeneratedRegex("Date: [^\r]+\r\n")]
    private static partial Regex DateHeader();
}
