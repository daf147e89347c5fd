using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using SseFlights.Http;
using SseFlights.Http.Listener;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.EndToEnd;

/// <summary>Repeat cycles, custom events, heartbeats and vanished clients, on both write paths.</summary>
[TestFixture("direct")]
[TestFixture("listener")]
public class StreamBehaviourTests(string path)
{
    private readonly WritePath _writePath = WritePaths.FromEnvironment(path).Path;

    private const string Repeating = """
        {
          "name": "Loop",
          "repeat": true,
          "cycle": 10,
          "flights": [ { "flight": "R1", "origin": "Rome", "arrival": "10:00", "state": "" } ],
          "timeline": [
            { "at": 2, "event": "flightStateUpdate", "data": { "flight": "R1", "state": "landed" } },
            { "at": 4, "event": "flightAddition", "data": { "flight": "K2", "origin": "Oslo", "arrival": "11:00", "state": "scheduled" } },
            { "at": 6, "event": "flightRemoval", "data": { "flight": "R1" } }
          ]
        }
        """;

    [Test]
    [CancelAfter(30_000)]
    public async Task Repeat_EachCycleStartsWithAResetSnapshot_AndIdsKeepCountingUp()
    {
        var time = new FakeTimeProvider();
        await using var server = await TestServer.StartAsync(Repeating, time, o => o with { HeartbeatSeconds = 3600 }, writePath: _writePath);
        await using var client = await SseConnection.OpenAsync(server.Http);
        await client.NextAsync();

        var seen = new List<(string?, string?, string)>();
        for (int second = 1; second <= 32; second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            if (second % 2 == 0 && second % 10 != 8)
            {
                var item = (await client.NextAsync())!.Value;
                seen.Add((item.EventType, item.EventId, item.Data));
            }
        }

        const string Start = "{\"flights\":[{\"flight\":\"R1\",\"origin\":\"Rome\",\"arrival\":\"10:00\",\"state\":\"\"}]}";
        var cycle = new (string, string)[]
        {
            ("flightStateUpdate", "{\"flight\":\"R1\",\"state\":\"landed\"}"),
            ("flightAddition", "{\"flight\":\"K2\",\"origin\":\"Oslo\",\"arrival\":\"11:00\",\"state\":\"scheduled\"}"),
            ("flightRemoval", "{\"flight\":\"R1\"}"),
        };
        var expected = new List<(string?, string?, string)>();
        long id = 0;
        for (int c = 0; c < 4; c++)
        {
            if (c > 0)
            {
                expected.Add(("snapshot", (++id).ToString(), Start));
            }

            foreach (var (name, data) in c < 3 ? cycle : cycle[..1])
            {
                expected.Add((name, (++id).ToString(), data));
            }
        }

        Assert.That(seen, Is.EqualTo(expected));
        var board = await server.GetJsonAsync("api/flights");
        Assert.That(board.GetRawText(), Is.EqualTo("{\"lastEventId\":13,\"closed\":false,\"flights\":[{\"flight\":\"R1\",\"origin\":\"Rome\",\"arrival\":\"10:00\",\"state\":\"landed\"}]}"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Repeat_AClientResumingAcrossACycle_GetsTheCycleSnapshotAsAnEvent()
    {
        var time = new FakeTimeProvider();
        await using var server = await TestServer.StartAsync(Repeating, time, o => o with { HeartbeatSeconds = 3600 }, writePath: _writePath);
        time.Advance(TimeSpan.FromSeconds(12));
        await Eventually.ValueAsync(() => server.GetJsonAsync("healthz"), h => h.GetProperty("lastEventId").GetInt64() == 5, TimeSpan.FromSeconds(10), "event 5");

        await using var client = await SseConnection.OpenAsync(server.Http, lastEventId: "2");
        var items = await client.ReadAsync(3);
        Assert.That(items.Select(i => (i.EventType, i.EventId)), Is.EqualTo(new[] { ("flightRemoval", "3"), ("snapshot", "4"), ("flightStateUpdate", "5") }));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task CustomEvents_MultiLineAndUnicodeData_SurviveTheRoundTripExactly()
    {
        var time = new FakeTimeProvider();
        await using var server = await TestServer.StartAsync("""
            {
              "name": "Custom",
              "customEvents": ["gateChange", "notice"],
              "flights": [],
              "timeline": [
                { "at": 1, "event": "gateChange", "data": "I768 ✈ Zürich\r\nGate B12\rSão Paulo\n東京 🛬\n" },
                { "at": 1, "event": "notice", "data": { "text": "Ünïcödé", "n": [1, 2.5, null, true] } }
              ]
            }
            """, time, writePath: _writePath);
        await using var client = await SseConnection.OpenAsync(server.Http);
        await client.NextAsync();
        time.Advance(TimeSpan.FromSeconds(1));
        var items = await client.ReadAsync(2);

        Assert.That(items[0].Data, Is.EqualTo("I768 ✈ Zürich\nGate B12\nSão Paulo\n東京 🛬\n"));
        Assert.That(items[1].Data, Is.EqualTo("{\"text\":\"Ünïcödé\",\"n\":[1,2.5,null,true]}"));
        Assert.That(client.RawText, Does.EndWith(
            "event: gateChange\ndata: I768 ✈ Zürich\ndata: Gate B12\ndata: São Paulo\ndata: 東京 🛬\ndata:\nid: 1\n\n"
            + "event: notice\ndata: {\"text\":\"Ünïcödé\",\"n\":[1,2.5,null,true]}\nid: 2\n\n"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Heartbeat_IdleStream_GetsACommentFrameEachInterval()
    {
        var time = new FakeTimeProvider();
        await using var server = await TestServer.StartAsync(Scenarios.Tutorial, time, o => o with { HeartbeatSeconds = 1 }, writePath: _writePath);
        await using var client = await SseConnection.OpenAsync(server.Http);
        await client.NextAsync();

        // Keep a read pending so the heartbeats (which the parser skips) are pulled off the socket.
        var next = client.NextAsync(TimeSpan.FromSeconds(30));

        // Step the clock one ticker period (a quarter beat) per probe: the server stamps a write's end
        // when its continuation runs, which on a loaded machine can be after the client has the bytes,
        // so the test never assumes where in a step that lands. Each heartbeat needs a full idle beat
        // after the last write, so 2 s of clock can never give more than 2.
        var stepped = TimeSpan.Zero;
        int beats = await Eventually.ValueAsync(
            () =>
            {
                if (stepped < TimeSpan.FromSeconds(2.5))
                {
                    time.Advance(TimeSpan.FromMilliseconds(250));
                    stepped += TimeSpan.FromMilliseconds(250);
                }

                return Task.FromResult(Count(client.RawText, ": heartbeat\n\n"));
            },
            n => n >= 2,
            TimeSpan.FromSeconds(10),
            "two heartbeats");
        Assert.That((beats, stepped >= TimeSpan.FromSeconds(2)), Is.EqualTo((2, true)), "one heartbeat per idle beat, never sooner");

        time.Advance(TimeSpan.FromSeconds(3) - stepped);
        Assert.That((await next)!.Value.EventId, Is.EqualTo("1"), "heartbeats are invisible to the parser and do not disturb events");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task VanishedClients_AreRemovedWithinTwoHeartbeats()
    {
        await using var server = await TestServer.StartAsync(Scenarios.Tutorial, configure: o => o with { HeartbeatSeconds = 1 }, writePath: _writePath);
        var sockets = new List<Socket>();
        for (int i = 0; i < 20; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync("127.0.0.1", server.Port);
            await socket.SendAsync(Encoding.ASCII.GetBytes("GET /events HTTP/1.1\r\nHost: localhost\r\n\r\n"));
            await socket.ReceiveAsync(new byte[4096]);
            sockets.Add(socket);
        }

        await Eventually.ValueAsync(server.ClientsAsync, n => n == 20, TimeSpan.FromSeconds(10), "20 clients");
        foreach (var socket in sockets)
        {
            socket.Close();
        }

        // Two heartbeats of 1 s, plus the ticker's quarter beat and half a second of scheduling slack.
        await Eventually.ValueAsync(server.ClientsAsync, n => n == 0, TimeSpan.FromSeconds(2.75), "every vanished client to be removed within two heartbeats");
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Stats_NameTheWritePathStreamsReallyUse()
    {
        await using var server = await TestServer.StartAsync(Scenarios.Tutorial, new FakeTimeProvider(), writePath: _writePath);

        var stats = await server.GetJsonAsync("api/stats");

        Assert.That(stats.GetProperty("writePath").GetString(), Is.EqualTo(_writePath == WritePath.Direct ? "direct" : "listener"));
    }

    private static int Count(string text, string what)
    {
        int count = 0;
        for (int at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
