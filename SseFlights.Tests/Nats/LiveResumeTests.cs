using System.Net;
using System.Text.Json.Nodes;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Nats;

/// <summary>
/// Resume anywhere with a live log, on the built program and a real nats-server: an id older than the
/// replica's history is resumed from the log by sequence with the bytes every replica sent, while the
/// stream still holds them, and with a snapshot after; a replica started once the stream has discarded
/// its older messages begins from the stored board and serves what the others serve.
/// </summary>
public class LiveResumeTests
{
    private static string Scenario => LiveReplicaTests.Scenario;

    private static string Note(int n) => $$"""{"event":"note","data":"n{{n}}"}""";

    [Test]
    [CancelAfter(120_000)]
    public async Task Resume_FromAnIdOlderThanTheHistory_ComesFromTheLogWithTheSameBytes_AndOnceTheLogHasDiscardedThem_IsASnapshot(CancellationToken cancellationToken)
    {
        await using var nats = await NatsServer.StartAsync();
        string[] options = ["--history", "2", "--nats-max-msgs", "30", "--nats-snapshot-every", "10"];
        await using var replica = await LiveReplica.StartAsync(Scenario, nats.Url, options: options);
        await using var outside = await ExternalPublisher.ConnectAsync(nats.Url);
        string[] bodies =
        [
            Note(1), Note(2), """{"event":"flightRemoval","data":{"flight":"F9"}}""", Note(4), """{"comment":"live only"}""",
            """{"event":"flightRemoval","data":{"flight":"F1"}}""", Note(7), """{"action":"reset"}""", Note(9), Note(10),
        ];
        foreach (string body in bodies)
        {
            await outside.PublishAsync(body, cancellationToken);
        }

        await replica.WaitForSequenceAsync(10, TimeSpan.FromSeconds(10));
        string resumed = await ReadUpToAsync(replica.Port, "1", 10);

        // 3 was refused against the board, 5 is live-only: both take a sequence and make no event.
        var ids = Ids(resumed);
        Assert.That(ids, Is.EqualTo(new long[] { 2, 4, 6, 7, 8, 9, 10 }));
        Assert.That(resumed, Does.Contain("event: note\ndata: n2\nid: 2\n\nevent: note\ndata: n4\nid: 4\n\nevent: flightRemoval\ndata: {\"flight\":\"F1\"}\nid: 6\n\n"));
        Assert.That(resumed, Does.Contain("event: snapshot\ndata: {\"flights\":[{\"flight\":\"F0\",\"origin\":\"Rome\",\"arrival\":\"08:00\",\"state\":\"\"},{\"flight\":\"F1\",\"origin\":\"Berlin\",\"arrival\":\"08:30\",\"state\":\"\"},{\"flight\":\"F2\",\"origin\":\"Tokyo\",\"arrival\":\"09:00\",\"state\":\"\"}]}\nid: 8\n\n"), "the reset's snapshot, as its sequence");

        // A second replica started now replays the whole log: its resent bytes are the first one's.
        await using (var second = await LiveReplica.StartAsync(Scenario, nats.Url, options: options))
        {
            Assert.That(await ReadUpToAsync(second.Port, "1", 10), Is.EqualTo(resumed));
        }

        for (int n = 11; n <= 40; n++)
        {
            await outside.PublishAsync(Note(n), cancellationToken);
            if (n % 5 == 0)
            {
                await replica.WaitForSequenceAsync(n, TimeSpan.FromSeconds(10));
            }
        }

        await replica.WaitForSequenceAsync(40, TimeSpan.FromSeconds(10));
        string after = await ReadUpToAsync(replica.Port, "1", 40);
        Assert.That(after, Does.StartWith("retry: 3000\n\nevent: snapshot\n"), "messages 1 to 10 are gone from the log: a snapshot");
        Assert.That(Ids(after), Is.EqualTo(new long[] { 40 }));
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task AReplicaStartedAfterOlderMessagesWereDiscarded_BeginsFromTheStoredBoard_AndServesTheSameBoardAndBytesAsTheOthers(CancellationToken cancellationToken)
    {
        await using var nats = await NatsServer.StartAsync();
        string[] options = [.. LiveReplicaTests.ControlOptions, "--nats-max-msgs", "20", "--nats-snapshot-every", "5"];
        await using var first = await LiveReplica.StartAsync(Scenario, nats.Url, options: options);
        await using var outside = await ExternalPublisher.ConnectAsync(nats.Url);
        for (int n = 1; n <= 31; n++)
        {
            await outside.PublishAsync(n switch
            {
                3 => """{"event":"flightAddition","data":{"flight":"K3","origin":"Oslo","arrival":"11:00","state":"scheduled"}}""",
                12 => """{"event":"flightRemoval","data":{"flight":"F0"}}""",
                17 => """{"event":"flightStateUpdate","data":{"flight":"F0","state":"late"}}""",
                25 => """{"event":"flightStateUpdate","data":{"flight":"K3","state":"landed"}}""",
                _ => Note(n),
            }, cancellationToken);

            // Paced: a burst longer than the stream's bound could be discarded before the replica reads it.
            if (n % 5 == 0)
            {
                await first.WaitForSequenceAsync(n, TimeSpan.FromSeconds(10));
            }
        }

        await first.WaitForSequenceAsync(31, TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(() => first.Lines("Stored the board as of sequence 30").Count == 1, TimeSpan.FromSeconds(10), "the board stored at 30:\n" + first.Program.Stdout);

        await using var late = await LiveReplica.StartAsync(Scenario, nats.Url, options: options);

        Assert.That(late.Lines("The log begins at sequence 12: starting from the board stored at sequence 30 (3 flights, event 30)"), Has.Count.EqualTo(1), late.Program.Stdout);
        Assert.That(await late.Http.GetStringAsync("api/flights", cancellationToken), Is.EqualTo(await first.Http.GetStringAsync("api/flights", cancellationToken)));
        Assert.That(await SnapshotAsync(late), Is.EqualTo(await SnapshotAsync(first)));

        // On from there, both apply the same messages: the late one's events are the first one's, byte for byte.
        Assert.That(await LiveReplicaTests.ControlAsync(late, "events", """{"event": "flightStateUpdate", "data": {"flight": "K3", "state": "gone"}}"""), Is.EqualTo((HttpStatusCode.Created, """{"id":32}""")));
        Assert.That(await LiveReplicaTests.ControlAsync(first, "close"), Is.EqualTo((HttpStatusCode.NoContent, "")));
        await late.WaitForSequenceAsync(33, TimeSpan.FromSeconds(10));
        string fromLate = await SseFrames.ReadStreamAsync(late.Port, "30", TimeSpan.FromSeconds(10), cancellationToken);
        Assert.That(fromLate, Is.EqualTo(await SseFrames.ReadStreamAsync(first.Port, "30", TimeSpan.FromSeconds(10), cancellationToken)));
        Assert.That(Ids(fromLate), Is.EqualTo(new long[] { 31, 32, 33 }));

        // Ids before where it began are older than anything it can vouch for: a snapshot, then the close.
        string older = await SseFrames.ReadStreamAsync(late.Port, "20", TimeSpan.FromSeconds(10), cancellationToken);
        Assert.That(Ids(older), Is.EqualTo(new long[] { 32, 33 }));
        Assert.That(older, Does.StartWith("retry: 3000\n\nevent: snapshot\n"));
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task AReplicaStartedAfterOlderMessagesWereDiscarded_WithAStoredBoardThatCannotBeRight_StartsAtTheLogsFirst_AndAnOlderIdGetsASnapshot(CancellationToken cancellationToken)
    {
        await using var nats = await NatsServer.StartAsync();
        string[] options = [.. LiveReplicaTests.ControlOptions, "--nats-max-msgs", "20", "--nats-snapshot-every", "5"];
        await using var outside = await ExternalPublisher.ConnectAsync(nats.Url);
        await using (var first = await LiveReplica.StartAsync(Scenario, nats.Url, options: options))
        {
            for (int n = 1; n <= 30; n++)
            {
                await outside.PublishAsync(Note(n), cancellationToken);
                if (n % 5 == 0)
                {
                    await first.WaitForSequenceAsync(n, TimeSpan.FromSeconds(10));
                }
            }

            await Eventually.TrueAsync(() => first.Lines("Stored the board as of sequence 30").Count == 1, TimeSpan.FromSeconds(10), "the board stored at 30:\n" + first.Program.Stdout);
        }

        // Ids are sequences, so a board as of event 35 stored at sequence 30 is not one a replica wrote.
        var stored = JsonNode.Parse(await outside.GetBoardAsync(cancellationToken))!;
        Assert.That(stored["sequence"]!.GetValue<long>(), Is.EqualTo(30));
        stored["board"]!["lastEventId"] = 35;
        await outside.PutBoardAsync(stored.ToJsonString(), cancellationToken);

        await using var late = await LiveReplica.StartAsync(Scenario, nats.Url, options: options);
        Assert.That(
            late.Lines("The log begins at sequence 11 and no stored board reaches it (the newest, at sequence 30, claims event 35, which comes after it): starting from the scenario's flights there"),
            Has.Count.EqualTo(1), late.Program.Stdout);
        await outside.PublishAsync("""{"event":"closedConnection"}""", cancellationToken);
        await late.WaitForSequenceAsync(31, TimeSpan.FromSeconds(10));

        // Events 1 to 10 were never this replica's: a client that had 5 gets a snapshot, not 11 onward as if nothing were missing.
        string older = await SseFrames.ReadStreamAsync(late.Port, "5", TimeSpan.FromSeconds(10), cancellationToken);
        Assert.That(older, Does.StartWith("retry: 3000\n\nevent: snapshot\n"));
        Assert.That(Ids(older), Is.EqualTo(new long[] { 30, 31 }));
        string resumed = await SseFrames.ReadStreamAsync(late.Port, "25", TimeSpan.FromSeconds(10), cancellationToken);
        Assert.That(Ids(resumed), Is.EqualTo(new long[] { 26, 27, 28, 29, 30, 31 }));
    }

    private static long[] Ids(string payload) =>
        [.. payload.Split('\n').Where(l => l.StartsWith("id: ", StringComparison.Ordinal)).Select(l => long.Parse(l[4..]))];

    /// <summary>The snapshot a new stream opens with, raw.</summary>
    private static async Task<string> SnapshotAsync(LiveReplica replica)
    {
        await using var stream = await SseConnection.OpenAsync(replica.Http);
        var snapshot = await stream.NextAsync();
        Assert.That(snapshot!.Value.EventType, Is.EqualTo("snapshot"));
        return stream.RawText;
    }

    /// <summary>A stream that stays open, read from its start up to the end of the frame with id <paramref name="untilId"/>; the payload.</summary>
    private static async Task<string> ReadUpToAsync(int port, string lastEventId, long untilId)
    {
        using var connection = await SseFrames.OpenAsync(port, lastEventId);
        string text = await connection.ReadUntilAsync($"id: {untilId}\n\n\r\n", TimeSpan.FromSeconds(10));
        var (_, body) = Wire.Split(text);
        return Wire.DecodeChunked(body).Payload;
    }
}
