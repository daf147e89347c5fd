using System.Net;
using System.Text;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Nats;

/// <summary>
/// Two replicas of the built program on one real nats-server (<c>--nats</c>): events from the control
/// API of either and from an outside NATS client reach both with the same id (the log's sequence) and
/// the same bytes; refused messages are logged once per replica, counted, and become no event; the
/// timeline's pause, resume and restart belong to the publisher; drops and the close go through the log.
/// </summary>
public class LiveReplicaTests
{
    public const string Token = "live-test";

    public const string Scenario = """
        {
          "name": "Live",
          "customEvents": ["note"],
          "flights": [
            { "flight": "F0", "origin": "Rome", "arrival": "08:00", "state": "" },
            { "flight": "F1", "origin": "Berlin", "arrival": "08:30", "state": "" },
            { "flight": "F2", "origin": "Tokyo", "arrival": "09:00", "state": "" }
          ],
          "timeline": []
        }
        """;

    public static readonly string[] ControlOptions = ["--control", "--control-token", Token, "--log-level", "Debug"];

    internal static async Task<(HttpStatusCode Status, string Body)> ControlAsync(LiveReplica replica, string action, string body = "")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/control/{action}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", Token);
        using var response = await replica.Http.SendAsync(request);
        return (response.StatusCode, (await response.Content.ReadAsStringAsync()).TrimEnd('\n'));
    }

    /// <summary>An event as the formatter writes it; empty data is a bare <c>data:</c> line.</summary>
    private static string Event(string name, string data, long id) => $"event: {name}\ndata:{(data.Length == 0 ? "" : " " + data)}\nid: {id}\n\n";

    [Test]
    [CancelAfter(120_000)]
    public async Task EventsFromEitherControlApiAndFromOutside_ReachBothReplicasWithTheLogsSequenceAsIdAndTheSameBytes_RefusedOnesAreLoggedOnceCountedAndNoEvent(CancellationToken cancellationToken)
    {
        await using var nats = await NatsServer.StartAsync();
        await using var a = await LiveReplica.StartAsync(Scenario, nats.Url, options: ControlOptions);
        await using var b = await LiveReplica.StartAsync(Scenario, nats.Url, options: ControlOptions);
        await using var outside = await ExternalPublisher.ConnectAsync(nats.Url);
        await using var onB = await SseConnection.OpenAsync(b.Http);
        Assert.That((await onB.NextAsync())!.Value.EventId, Is.EqualTo("0"), "the snapshot of the scenario's board");

        Assert.That(await outside.PublishAsync("""{"event":"note","data":"from outside"}"""), Is.EqualTo(1));
        Assert.That(await ControlAsync(a, "events", """{"event": "flightStateUpdate", "data": {"flight": "F1", "state": "landed"}}"""), Is.EqualTo((HttpStatusCode.Created, """{"id":2}""")));
        Assert.That(await outside.PublishAsync("""{"event":"note","data":"""), Is.EqualTo(3));
        Assert.That(await outside.PublishAsync("""{"event":"nope","data":"x"}"""), Is.EqualTo(4));
        Assert.That(await outside.PublishAsync("""{"event":"flightRemoval","data":{"flight":"B2"}}"""), Is.EqualTo(5));
        Assert.That(await ControlAsync(b, "events", """{"event": "flightRemoval", "data": {"flight": "F1"}}"""), Is.EqualTo((HttpStatusCode.Created, """{"id":6}""")));
        Assert.That(await ControlAsync(b, "events", """{"comment": "only live"}"""), Is.EqualTo((HttpStatusCode.Created, """{"id":null}""")));

        // Checked against the board first: on A once it has applied the removal, the entry never reaches the log.
        await a.WaitForSequenceAsync(7, TimeSpan.FromSeconds(10));
        Assert.That(await ControlAsync(a, "events", """{"event": "flightStateUpdate", "data": {"flight": "F1", "state": "x"}}"""),
            Is.EqualTo((HttpStatusCode.UnprocessableEntity, "request:1:41: data.flight: flight 'F1' is not on the board at that point (on the board then: F0, F2)")));
        Assert.That(await ControlAsync(a, "close", ""), Is.EqualTo((HttpStatusCode.NoContent, "")));

        string expected =
            Event("note", "from outside", 1)
            + Event("flightStateUpdate", """{"flight":"F1","state":"landed"}""", 2)
            + Event("flightRemoval", """{"flight":"F1"}""", 6)
            + ": only live\n\n"
            + Event("closedConnection", "", 8);
        while (await onB.NextAsync() is { } item && item.EventType != "closedConnection")
        {
            // Read on to the close; the raw text keeps every byte.
        }

        Assert.That(onB.RawText[onB.RawText.IndexOf("event: note", StringComparison.Ordinal)..], Is.EqualTo(expected));

        // Resent from each replica's history: the same bytes on both, the live-only frame not among them.
        string resentByA = await SseFrames.ReadStreamAsync(a.Port, "0", TimeSpan.FromSeconds(10), cancellationToken);
        string resentByB = await SseFrames.ReadStreamAsync(b.Port, "0", TimeSpan.FromSeconds(10), cancellationToken);
        Assert.That(resentByA, Is.EqualTo("retry: 3000\n\n" + expected.Replace(": only live\n\n", "")));
        Assert.That(resentByB, Is.EqualTo(resentByA));

        foreach (var replica in new[] { a, b })
        {
            Assert.That(replica.Lines("Refused sequence "), Has.Count.EqualTo(3), replica.Program.Stdout);
            Assert.That(replica.Lines("Refused sequence 3:"), Has.Count.EqualTo(1));
            Assert.That(replica.Lines("Refused sequence 4:1:2: event: unknown event 'nope'"), Has.Count.EqualTo(1));
            Assert.That(replica.Lines("Refused sequence 5:1:34: data.flight: flight 'B2' is not on the board at that point (on the board then: F0, F1, F2)"), Has.Count.EqualTo(1));
            Assert.That(await replica.Http.GetStringAsync("metrics", cancellationToken), Does.Contain("\nsseflights_log_refused_total 3\n"));
            using var after = await replica.Http.GetAsync("events", cancellationToken);
            Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task PauseResumeRestartAdvance_Are409_TheTimelineBelongsToThePublisher_ADropCutsEveryReplicasStreams_AndStateSaysLive(CancellationToken cancellationToken)
    {
        await using var nats = await NatsServer.StartAsync();
        await using var a = await LiveReplica.StartAsync(Scenario, nats.Url, options: ControlOptions);
        await using var b = await LiveReplica.StartAsync(Scenario, nats.Url, options: ControlOptions);
        string reason = $"Conflict: with --nats the timeline belongs to its publisher, not to this server; {{0}} it there (the stream sseflights at {nats.Url}).";

        foreach (string action in new[] { "pause", "resume", "restart", "advance" })
        {
            Assert.That(await ControlAsync(a, action), Is.EqualTo((HttpStatusCode.Conflict, string.Format(reason, action))));
        }

        var onA = await RawSseClient.ConnectAsync(a.Port);
        var onB = await RawSseClient.ConnectAsync(b.Port);
        await Eventually.TrueAsync(() => onA.Ids.Count == 1 && onB.Ids.Count == 1, TimeSpan.FromSeconds(10), "both snapshots");
        Assert.That(await ControlAsync(b, "drop"), Is.EqualTo((HttpStatusCode.NoContent, "")));
        await Eventually.TrueAsync(() => onA.Ended && onB.Ended, TimeSpan.FromSeconds(10), "both streams cut by the drop");

        // The client sees its stream end a moment before the server has counted it gone.
        string controlState = await Eventually.ValueAsync(
            async () =>
            {
                using var state = new HttpRequestMessage(HttpMethod.Get, "api/control");
                state.Headers.Authorization = new("Bearer", Token);
                using var answer = await a.Http.SendAsync(state, cancellationToken);
                return await answer.Content.ReadAsStringAsync(cancellationToken);
            },
            body => body.Contains("\"openStreams\":0", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "no stream open on replica a after the drop");
        Assert.That(controlState, Is.EqualTo($$"""{"state":"live","log":"the stream sseflights at {{nats.Url}}","lastEventId":0,"closed":false,"openStreams":0}"""));
        Assert.That((onA.CleanEnd, onB.CleanEnd), Is.EqualTo((true, true)), "a drop ends a stream cleanly, as in a scenario");
        await onA.DisposeAsync();
        await onB.DisposeAsync();
    }
}
