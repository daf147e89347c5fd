using System.Text;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Proxy;

/// <summary>
/// What makes any replica good for any client: one started late rebuilds from the scenario the
/// frames it never sent, and every replica sends the same bytes for each id, read directly from each.
/// </summary>
public class ReplicaResumeTests
{
    private const int Events = 80;
    private const long CloseId = Events + 1;
    private static readonly TimeSpan StreamTimeout = TimeSpan.FromSeconds(30);

    // 80 events 50 ms apart from 0.5 s after the epoch, the close at 4.5 s; an origin in UTF-8 so
    // multi-byte characters are compared as bytes too.
    private static readonly string Scenario = Scenarios.Busy(Events, 0.05, close: true, start: 0.5).Replace("\"Oslo\"", "\"Tromsø · 東京\"", StringComparison.Ordinal);

    [Test]
    [CancelAfter(60_000)]
    public async Task LateReplica_ResumedFromAnIdOnlyAnotherReplicaSent_SendsExactlyTheMissedFramesByteForByte_DirectAndThroughNginx(CancellationToken cancellationToken)
    {
        await using var replicas = await ReplicaSet.StartAsync(Scenario, 1, TimeSpan.FromSeconds(1), "--log-level", "Warning");
        var a = replicas[0];
        using var fromA = await SseFrames.OpenAsync(a.Port, "0");
        await fromA.ReadUntilAsync("\nid: 30\n\n", StreamTimeout);

        // C starts after A has sent ids 1..30: it has never sent any of them, and rebuilds them from the scenario.
        var c = await replicas.StartLateAsync();
        long newestAtStart = (await c.HealthAsync()).GetProperty("lastEventId").GetInt64();
        string direct = await SseFrames.ReadStreamAsync(c.Port, "10", StreamTimeout, cancellationToken);
        string sentByA = await SseFrames.ReadToEndOfStreamAsync(fromA, StreamTimeout, cancellationToken);

        // A dies; nginx has A's port, a port nobody listens on and C: the resume can only land on C.
        replicas.Kill(0);
        await a.Program.WaitForExitAsync(TimeSpan.FromSeconds(10));
        var nginx = await replicas.StartNginxAsync(a.Port, FreePort.Reserve(), c.Port);
        string proxied = await SseFrames.ReadStreamAsync(nginx.Port, "10", StreamTimeout, cancellationToken);

        var framesA = SseFrames.Split(sentByA);
        Assert.That(framesA.Select(SseFrames.IdOf), Is.EqualTo(RetryThenIds(1, CloseId)), "A: the retry frame, then every id once");
        Assert.That(framesA[0], Is.EqualTo("retry: 3000\n\n"));
        string expected = framesA[0] + string.Concat(framesA.Where(f => SseFrames.IdOf(f) > 10));
        TestContext.Out.WriteLine($"C started at id {newestAtStart} (A had sent 30 and more); resumed after 10 it sent {SseFrames.Split(direct).Count - 1} frames, {direct.Length} bytes");
        Assert.That(newestAtStart, Is.GreaterThanOrEqualTo(30), "C started after A had sent id 30");
        Assert.That(SseFrames.Ids(direct), Is.EqualTo(RetryThenIds(11, CloseId)), "C: exactly the ids after 10, once each");
        Assert.That(direct, Is.EqualTo(expected), "C's frames are A's, byte for byte");
        Assert.That(proxied, Is.EqualTo(expected), "through nginx too");
        Assert.That(nginx.ErrorLog, Does.Contain("connect() failed (111: Connection refused)"), "nginx moved on from a dead replica");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task EveryReplica_StartedOnTimeOrLate_SendsByteIdenticalFramesForEveryId(CancellationToken cancellationToken)
    {
        await using var replicas = await ReplicaSet.StartAsync(Scenario, 2, TimeSpan.FromSeconds(1), "--log-level", "Warning");

        // A and B are read live from their first event (with no id: from their snapshot); C starts
        // a third of the way in and is read from id 0, so it sends the first third from its rebuilt history.
        using var fromA = await SseFrames.OpenAsync(replicas[0].Port, null);
        using var fromB = await SseFrames.OpenAsync(replicas[1].Port, null);
        await fromA.ReadUntilAsync($"\nid: {Events / 3}\n\n", StreamTimeout);
        var c = await replicas.StartLateAsync();
        using var fromC = await SseFrames.OpenAsync(c.Port, "0");
        var payloads = await Task.WhenAll(new[] { fromA, fromB, fromC }.Select(s => SseFrames.ReadToEndOfStreamAsync(s, StreamTimeout, cancellationToken)));

        var byReplica = payloads.Select(p => SseFrames.Split(p).Where(f => SseFrames.IdOf(f) > 0).ToDictionary(f => SseFrames.IdOf(f) ?? -1)).ToList();
        for (int r = 0; r < 3; r++)
        {
            Assert.That(byReplica[r].Keys, Is.EqualTo(Ids(1, CloseId)), $"replica {r}: every id once, in order");
        }

        int differing = Ids(1, CloseId).Count(id => byReplica[1][id] != byReplica[0][id] || byReplica[2][id] != byReplica[0][id]);
        TestContext.Out.WriteLine($"{CloseId} ids on 3 replicas, {byReplica[0].Values.Sum(f => f.Length)} bytes each, {differing} differing");
        foreach (long id in Ids(1, CloseId))
        {
            Assert.That((byReplica[1][id], byReplica[2][id]), Is.EqualTo((byReplica[0][id], byReplica[0][id])), $"id {id}");
        }

        // Both read before the epoch: the same snapshot of the scenario's board as id 0.
        var snapshots = payloads.Take(2).Select(p => SseFrames.Split(p).Single(f => SseFrames.IdOf(f) == 0)).ToList();
        Assert.That(snapshots[1], Is.EqualTo(snapshots[0]));
        Assert.That(snapshots[0], Does.StartWith("event: snapshot\ndata: ").And.Contain("\"F0\"").And.Not.Contain("\"N9\""));
        Assert.That(byReplica[0][10], Does.StartWith("event: flightAddition\n").And.Contain(Encoding.Latin1.GetString(Encoding.UTF8.GetBytes("Tromsø · 東京"))), "id 10 carries the UTF-8 origin");
    }

    private static List<long> Ids(long first, long last) => [.. Enumerable.Range((int)first, (int)(last - first + 1)).Select(i => (long)i)];

    /// <summary>A stream's ids from <paramref name="first"/> to <paramref name="last"/>, after its retry frame (which has none).</summary>
    private static List<long?> RetryThenIds(long first, long last) => [null, .. Ids(first, last).Select(id => (long?)id)];
}
