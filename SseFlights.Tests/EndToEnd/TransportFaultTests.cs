using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.EndToEnd;

/// <summary>
/// Transport faults on the wire (issue #24, point 3), over real loopback sockets: a reset is a TCP reset,
/// not a clean end; a stall keeps the connection open with nothing written, heartbeats included; a
/// truncation sends the first bytes of the next frame and ends the body cleanly; bandwidth and latency slow
/// the one stream they are set for. Set by a scenario's rule or by the control API, and never felt by other streams.
/// </summary>
public class TransportFaultTests
{
    private const string Token = "t";

    private static string Scenario(string rule, string timeline = """{ "at": 0.2, "event": "note", "data": "a" }, { "at": 0.4, "event": "note", "data": "b" }""") => $$"""
        { "name": "F", "snapshot": false, "customEvents": ["note"], "flights": [], "timeline": [ {{timeline}} ], "responses": [ {{rule}} ] }
        """;

    /// <summary>How early a timer's wait may end, by the Stopwatch: the runtime's timers tick in whole milliseconds.</summary>
    private const int TimerSlackMs = 5;

    private static Task<TestServer> StartAsync(string scenario, double heartbeat = 15) =>
        TestServer.StartAsync(scenario, configure: o => o with { Control = true, ControlToken = Token, HeartbeatSeconds = heartbeat });

    /// <summary>How a connection ended, and every byte read before it did.</summary>
    private sealed record Ending(string Text, SocketError? Error, bool Closed);

    private static async Task<Socket> ConnectAsync(TestServer server, string target = "/events?client=f")
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, server.Port);
        // From id 0: a client that joins after the first event (a loaded machine) still gets it, resent.
        await socket.SendAsync(Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: localhost\r\nLast-Event-ID: 0\r\n\r\n"));
        return socket;
    }

    /// <summary>Reads until the server closes (cleanly or by a reset) or <paramref name="until"/> says enough.</summary>
    private static async Task<Ending> ReadAsync(Socket socket, Func<string, bool>? until = null, TimeSpan? timeout = null)
    {
        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            int read;
            try
            {
                read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancel.Token);
            }
            catch (SocketException ex)
            {
                return new Ending(Encoding.Latin1.GetString(received.ToArray()), ex.SocketErrorCode, true);
            }

            if (read == 0)
            {
                return new Ending(Encoding.Latin1.GetString(received.ToArray()), null, true);
            }

            received.Write(buffer, 0, read);
            string text = Encoding.Latin1.GetString(received.ToArray());
            if (until?.Invoke(text) == true)
            {
                return new Ending(text, null, false);
            }
        }
    }

    private static async Task<HttpStatusCode> ControlAsync(TestServer server, string action, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/control/" + action) { Content = new StringContent(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var response = await server.Http.SendAsync(request);
        return response.StatusCode;
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Reset_AfterOneEvent_TheClientSeesAConnectionReset_AfterExactlyThatEvent()
    {
        await using var server = await StartAsync(Scenario("""{ "request": 1, "reset": { "afterEvents": 1 } }"""));
        using var socket = await ConnectAsync(server);

        var ending = await ReadAsync(socket);

        var (_, body) = Wire.Split(ending.Text);
        var (payload, terminated, _) = Wire.DecodeChunked(body);
        Assert.That((ending.Error, terminated), Is.EqualTo(((SocketError?)SocketError.ConnectionReset, false)), "a reset, not a clean end");
        Assert.That(payload, Is.EqualTo("retry: 3000\n\nevent: note\ndata: a\nid: 1\n\n"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Reset_AfterZeroBytes_IsTheRequestsOnlyAnswer()
    {
        await using var server = await StartAsync(Scenario("""{ "request": 1, "reset": { "afterBytes": 0 } }"""));
        using var socket = await ConnectAsync(server);

        var ending = await ReadAsync(socket);

        Assert.That((ending.Text, ending.Error), Is.EqualTo(("", (SocketError?)SocketError.ConnectionReset)));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Stall_AfterOneEvent_KeepsTheConnectionOpenWithNothingWrittenHeartbeatsIncluded_WhileOthersGoOn()
    {
        await using var server = await StartAsync(Scenario("""{ "request": 2, "stall": { "afterEvents": 1 } }"""), heartbeat: 0.2);
        using var healthy = await ConnectAsync(server);
        // Request 1 of this client key answered before request 2 is made: the rule numbers the requests as they come.
        var head = await ReadAsync(healthy, text => text.Contains("retry: 3000", StringComparison.Ordinal));
        using var stalled = await ConnectAsync(server);

        var first = await ReadAsync(stalled, text => text.Contains("id: 1\n\n", StringComparison.Ordinal));
        var rest = await ReadAsync(healthy, text => (head.Text + text) is var all && all.Contains("id: 2\n\n", StringComparison.Ordinal) && all.Contains(": heartbeat", StringComparison.Ordinal));
        var other = rest with { Text = head.Text + rest.Text };
        bool wrote = stalled.Poll(TimeSpan.FromSeconds(1), SelectMode.SelectRead);

        Assert.That((first.Closed, wrote), Is.EqualTo((false, false)), "open, and nothing more for five heartbeat intervals");
        Assert.That(other.Text, Does.Contain("data: b\nid: 2\n\n"), "the other stream goes on, heartbeats and all");
        Assert.That(await ControlAsync(server, "drop", ""), Is.EqualTo(HttpStatusCode.NoContent));
        var end = await ReadAsync(stalled);
        Assert.That((end.Closed, end.Text.Contains("0\r\n\r\n", StringComparison.Ordinal)), Is.EqualTo((true, false)), "a drop closes it without the last chunk: it never writes again");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Truncate_SendsTheFirstBytesOfTheNextFrame_ThenEndsTheBodyCleanly()
    {
        await using var server = await StartAsync(Scenario("""{ "request": 1, "truncate": { "afterEvents": 1, "bytes": 9 } }"""));
        using var socket = await ConnectAsync(server);

        var ending = await ReadAsync(socket);

        var (payload, terminated, after) = Wire.DecodeChunked(Wire.Split(ending.Text).Body);
        Assert.That((payload, terminated, after, ending.Error), Is.EqualTo(("retry: 3000\n\nevent: note\ndata: a\nid: 1\n\nevent: no", true, "", (SocketError?)null)));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Bandwidth_TheStreamGoesNoFasterThanItsBytesPerSecond()
    {
        string data = new('x', 1200);
        await using var server = await StartAsync(Scenario("""{ "request": 1, "bandwidth": 1000 }""", $$"""{ "at": 1, "event": "note", "data": "{{data}}" }"""));
        var clock = Stopwatch.StartNew();
        using var socket = await ConnectAsync(server);

        var ending = await ReadAsync(socket, text => text.Contains("id: 1\n\n", StringComparison.Ordinal));

        // retry: and the event (1,247 bytes) go in 100-byte pieces 0.1 s apart: the last 1.2 s after the first (less a
        // timer's slack for each of the 12 waits), whenever the event was due. Unthrottled, it would come at its due
        // time, at most 1 s after the connect.
        Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(1200 - (12 * TimerSlackMs))));
        Assert.That(Wire.DecodeChunked(Wire.Split(ending.Text).Body).Payload, Is.EqualTo($"retry: 3000\n\nevent: note\ndata: {data}\nid: 1\n\n"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Latency_EachWriteWaitsItsMilliseconds()
    {
        await using var server = await StartAsync(Scenario("""{ "request": 1, "latency": { "ms": 400 } }"""));
        var clock = Stopwatch.StartNew();
        using var socket = await ConnectAsync(server);

        await ReadAsync(socket, text => text.Contains("retry: 3000", StringComparison.Ordinal));
        var head = clock.Elapsed;
        await ReadAsync(socket, text => text.Contains("id: 2\n\n", StringComparison.Ordinal));

        // Less a timer's granularity: a 400 ms delay can end a fraction of a millisecond early by the Stopwatch.
        Assert.That(head, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(400 - TimerSlackMs)), "the head and retry: waited");
        Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(400 + 400 - (2 * TimerSlackMs))), "events a and b (from id 0, so whenever they were due) wait 400 ms more each");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task ControlFault_WithATransportFault_AppliesToTheNextRequestsOnly()
    {
        await using var server = await StartAsync(Scenario("""{ "request": 99, "status": 500 }""", """{ "at": 30, "event": "note", "data": "late" }"""));
        Assert.That(await ControlAsync(server, "faults", """{ "count": 1, "reset": { "afterEvents": 0 } }"""), Is.EqualTo(HttpStatusCode.NoContent));

        using var faulted = await ConnectAsync(server);
        var reset = await ReadAsync(faulted);
        using var next = await ConnectAsync(server);
        var served = await ReadAsync(next, text => text.Contains("retry: 3000\n\n", StringComparison.Ordinal));

        Assert.That((reset.Error, Wire.DecodeChunked(Wire.Split(reset.Text).Body).Payload), Is.EqualTo(((SocketError?)SocketError.ConnectionReset, "retry: 3000\n\n")), "reset right after the head and retry:");
        Assert.That(served.Closed, Is.False, "the next request is served as usual");
    }
}
