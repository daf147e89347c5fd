using System.Net;
using System.Text.Json;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Nats;

/// <summary>
/// A live replica's health around its log, on the built program and a real nats-server stopped and
/// started again on its store: catching up (503) while the log is unreachable at start, one line for
/// it and retries until it answers; degraded (200) while it is away later, open streams kept with
/// heartbeats and new ones served; back on the log, no gap and no duplicate.
/// </summary>
public class LiveHealthTests
{
    private static string Scenario => LiveReplicaTests.Scenario;

    /// <summary>Warnings but those for each stream refused meanwhile (a 503 is a warning, as at --max-clients).</summary>
    private static string[] LogWarnings(LiveReplica replica) => [.. replica.Lines(" WRN] ").Where(l => !l.Contains(" refused: ", StringComparison.Ordinal))];

    [Test]
    [CancelAfter(120_000)]
    public async Task LogUnreachableAtStart_OneWarningLine_CatchingUpWith503OnHealthAndEvents_UntilTheLogAnswers(CancellationToken cancellationToken)
    {
        await using var nats = await NatsServer.StartAsync();
        await nats.StopAsync();
        await using var replica = await LiveReplica.StartAsync(Scenario, nats.Url, ready: false, options: ["--log-level", "Debug"]);

        // Debug shows each retry; at the default level only the warning would show.
        await Eventually.TrueAsync(() => replica.Lines("Attempt 3 to open the log failed").Count == 1, TimeSpan.FromSeconds(30), "three attempts");
        var (status, health) = await replica.HealthAsync();
        using var events = await replica.Http.GetAsync("events", cancellationToken);

        Assert.That(LogWarnings(replica), Is.EqualTo(new[] { replica.Lines("cannot connect to NATS")[0] }), "one warning line about the log:\n" + replica.Program.Stdout);
        Assert.That(LogWarnings(replica)[0], Does.EndWith($"cannot connect to NATS at {nats.Url}: connection refused; this replica is not ready and keeps trying"));
        Assert.That((status, health.GetProperty("status").GetString(), health.GetProperty("logSequence").GetInt64()), Is.EqualTo((HttpStatusCode.ServiceUnavailable, "catching up", 0L)));
        Assert.That(health.GetProperty("logUnreachableSeconds").GetDouble(), Is.GreaterThan(0));
        Assert.That((events.StatusCode, events.Headers.RetryAfter?.Delta), Is.EqualTo((HttpStatusCode.ServiceUnavailable, (TimeSpan?)TimeSpan.FromSeconds(5))));
        Assert.That(await events.Content.ReadAsStringAsync(cancellationToken), Is.EqualTo("Service unavailable: this replica is catching up with the log; try again shortly.\n"));

        await nats.StartAgainAsync();
        await replica.WaitReadyAsync(TimeSpan.FromSeconds(30));

        (status, health) = await replica.HealthAsync();
        Assert.That((status, health.GetProperty("status").GetString(), health.TryGetProperty("logUnreachableSeconds", out _)), Is.EqualTo((HttpStatusCode.OK, "ok", false)));
        Assert.That(LogWarnings(replica), Has.Length.EqualTo(1), "still one warning line about the log");
        Assert.That(replica.Lines("The log is open after"), Has.Count.EqualTo(1));
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task LogGoesAwayAfterStart_HealthDegraded_OpenStreamKeptWithHeartbeats_NewStreamsServed_ThenReadingGoesOnWithNoGapNoDuplicate(CancellationToken cancellationToken)
    {
        await using var nats = await NatsServer.StartAsync();
        await using var replica = await LiveReplica.StartAsync(Scenario, nats.Url, options: ["--heartbeat", "0.2"]);
        await using (var before = await ExternalPublisher.ConnectAsync(nats.Url))
        {
            await before.PublishAsync("""{"event":"note","data":"one"}""", cancellationToken);
            await before.PublishAsync("""{"event":"note","data":"two"}""", cancellationToken);
        }

        await replica.WaitForSequenceAsync(2, TimeSpan.FromSeconds(10));
        await using var open = await SseConnection.OpenAsync(replica.Http);
        Assert.That((await open.NextAsync())!.Value.EventId, Is.EqualTo("2"), "the open stream's snapshot");

        // Reading on in the background: the heartbeats show in the raw text as they come.
        var next = open.NextAsync(TimeSpan.FromSeconds(60));
        await nats.StopAsync();
        var (status, health) = await Eventually.ValueAsync(replica.HealthAsync, h => h.Body.GetProperty("status").GetString() == "degraded", TimeSpan.FromSeconds(20), "degraded");
        int heartbeatsBefore = open.RawText.Split(": heartbeat").Length;
        await Eventually.TrueAsync(() => open.RawText.Split(": heartbeat").Length >= heartbeatsBefore + 3, TimeSpan.FromSeconds(10), "heartbeats on the open stream while the log is away");
        await using var fresh = await SseConnection.OpenAsync(replica.Http);
        var snapshot = await fresh.NextAsync();

        Assert.That((status, health.GetProperty("logUnreachableSeconds").ValueKind), Is.EqualTo((HttpStatusCode.OK, JsonValueKind.Number)));
        Assert.That(next.IsCompleted, Is.False, "the open stream stays open, with no event");
        Assert.That((snapshot!.Value.EventType, snapshot.Value.EventId), Is.EqualTo(("snapshot", "2")), "a new stream is served from what the replica has");

        await nats.StartAgainAsync();
        await using (var after = await ExternalPublisher.ConnectAsync(nats.Url))
        {
            Assert.That(await after.PublishAsync("""{"event":"note","data":"three"}""", cancellationToken), Is.EqualTo(3));
        }

        var three = await next;
        (status, health) = await replica.HealthAsync();
        Assert.That((three!.Value.EventId, three.Value.Data), Is.EqualTo(("3", "three")), "the next event on the stream that stayed open: no gap, no duplicate");
        Assert.That((status, health.GetProperty("status").GetString(), health.GetProperty("logSequence").GetInt64()), Is.EqualTo((HttpStatusCode.OK, "ok", 3L)));
        Assert.That(replica.Lines("is reachable again after"), Has.Count.EqualTo(1));
    }
}
