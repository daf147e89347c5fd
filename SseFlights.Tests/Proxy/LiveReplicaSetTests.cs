using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using NATS.Client.Core;
using SseFlights.Tests.Nats;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Proxy;

/// <summary>
/// Live data across replicas, everything real: Debian's nats-server with JetStream, three replicas of
/// the built program on it behind the shipped replicas-live.conf in nginx, and 60 reconnecting clients
/// through nginx. Events come from the control API of each replica, from an outside NATS.Net client and
/// from an <c>sseflights publish</c> feeder, refused messages among them. Meanwhile a replica is killed
/// and replaced, nats-server is stopped and started again on its store, and a replica starts after the
/// stream has discarded its oldest messages (from the stored board). Every client must end with exactly
/// the model of the log: 0 gaps, 0 duplicates, the same data for each id, the close once and last, and
/// its board; every replica resends the same bytes for every id.
/// </summary>
public partial class LiveReplicaSetTests
{
    private const int Clients = 60;
    private const int MaxMessages = 200;
    private const int SnapshotEvery = 20;

    private static readonly string[] Refusals =
    [
        """{"event":"note","data":""",
        """{"event":"gateChang","data":"x"}""",
        """{"event":"flightRemoval","data":{"flight":"ZZ9"}}""",
    ];

    /// <summary>What the feeder plays: the replicas' flights, then three seconds of notes, updates, an addition, a removal, a comment and a drop.</summary>
    private static string FeedScenario()
    {
        var entries = new List<string>();
        for (int i = 0; i < 30; i++)
        {
            string at = (0.1 * i).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
            entries.Add(i switch
            {
                5 => $$"""{ "at": {{at}}, "event": "flightAddition", "data": { "flight": "X1", "origin": "Lima", "arrival": "13:00", "state": "fed" } }""",
                12 => $$"""{ "at": {{at}}, "comment": "from the feeder" }""",
                18 => $$"""{ "at": {{at}}, "action": "drop" }""",
                24 => $$"""{ "at": {{at}}, "event": "flightRemoval", "data": { "flight": "X1" } }""",
                _ when i % 3 == 0 => $$"""{ "at": {{at}}, "event": "flightStateUpdate", "data": { "flight": "F{{i % 3}}", "state": "feed {{i}}" } }""",
                _ => $$"""{ "at": {{at}}, "event": "note", "data": "feed {{i}}" }""",
            });
        }

        return LiveReplicaTests.Scenario.Replace("\"timeline\": []", $"\"timeline\": [\n{string.Join(",\n", entries)}\n]");
    }

    [Test]
    [CancelAfter(300_000)]
    public async Task SixtyClientsThroughNginx_EventsFromEverySource_ThroughAKillAnOutageAndALateStart_EachGetsExactlyTheLog(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        string Elapsed() => $"{clock.Elapsed.TotalSeconds:0.0} s";
        await using var nats = await NatsServer.StartAsync();
        await using var recorder = await LogRecorder.StartAsync(nats.Url, MaxMessages);
        string[] options = [.. LiveReplicaTests.ControlOptions[..3], "--nats-max-msgs", $"{MaxMessages}", "--nats-snapshot-every", $"{SnapshotEvery}"];
        await using var replicas = new LiveReplicaSet(LiveReplicaTests.Scenario, nats.Url, options);
        await replicas.StartAsync(3);
        var nginx = await replicas.StartNginxAsync();

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1000 }) { BaseAddress = new Uri(nginx.BaseUrl), Timeout = Timeout.InfiniteTimeSpan };
        using var stopFollowers = new ScopedCancellation(cancellationToken);
        var followers = Enumerable.Range(0, Clients).Select(_ => new LiveFollower(http)).ToList();
        var following = followers.Select(f => Task.Run(() => f.RunAsync(stopFollowers.Token), stopFollowers.Token)).ToList();
        await Eventually.TrueAsync(() => followers.All(f => f.Received.Count > 0), TimeSpan.FromSeconds(30), "every client's snapshot");

        using var stopSources = new ScopedCancellation(cancellationToken);
        var control = new ControlLoad(replicas);
        var outside = await ExternalLoad.ConnectAsync(nats.Url);
        var sources = Task.WhenAll(control.RunAsync(stopSources.Token), outside.RunAsync(stopSources.Token));

        // A replica killed mid-run, and a fresh one on its port that catches up before it serves.
        await Eventually.TrueAsync(() => recorder.Last >= 60, TimeSpan.FromSeconds(60), "60 messages");
        int onVictim = (await replicas[0].HealthAsync()).Body.GetProperty("clients").GetInt32();
        replicas.Kill(0);
        var killedAt = Elapsed();
        await replicas.ReplaceAsync(0);
        Assert.That(onVictim, Is.GreaterThan(0), "the killed replica had streams");
        TestContext.Out.WriteLine($"{killedAt}: killed replica 0 with {onVictim} streams at sequence {recorder.Last}; replaced and caught up at {Elapsed()}");

        // The log goes away and comes back on its store.
        await Eventually.TrueAsync(() => recorder.Last >= 120, TimeSpan.FromSeconds(60), "120 messages");
        await nats.StopAsync();
        await Eventually.ValueAsync(() => Health(replicas), h => h.All(x => x.Status == "degraded" && x.UnreachableSeconds >= 1), TimeSpan.FromSeconds(20), "every replica degraded for a second");
        TestContext.Out.WriteLine($"{Elapsed()}: nats-server stopped at sequence {recorder.Last}, every replica degraded");
        await nats.StartAgainAsync();
        await Eventually.ValueAsync(() => Health(replicas), h => h.All(x => x.Status == "ok"), TimeSpan.FromSeconds(30), "every replica ok again");
        TestContext.Out.WriteLine($"{Elapsed()}: nats-server back, every replica ok");

        // The feeder plays its scenario into the same log.
        string feedFolder = Directory.CreateTempSubdirectory("sseflights-feed-").FullName;
        try
        {
            string feed = Path.Combine(feedFolder, "feed.json");
            await File.WriteAllTextAsync(feed, FeedScenario(), cancellationToken);
            await using var feeder = BuiltProgram.Start("publish", "--nats", nats.Url, "--scenario", feed);
            Assert.That(await feeder.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.EqualTo(0), feeder.Stdout + feeder.Stderr);
        }
        finally
        {
            RunningProgram.DeleteFolder(feedFolder);
        }

        TestContext.Out.WriteLine($"{Elapsed()}: the feeder has played its 30 entries, sequence {recorder.Last}");

        // Once the stream has discarded its oldest messages, a late replica begins from the stored board.
        await Eventually.TrueAsync(() => recorder.Last >= MaxMessages + (2 * SnapshotEvery), TimeSpan.FromSeconds(90), $"{MaxMessages + (2 * SnapshotEvery)} messages");
        var late = await replicas.StartLateAsync();
        var begun = StoredStart().Match(late.Program.Stdout);
        Assert.That(begun.Success, Is.True, "the late replica begins from the stored board:\n" + late.Program.Stdout);
        long lateFrom = long.Parse(begun.Groups["event"].Value);
        TestContext.Out.WriteLine($"{Elapsed()}: late replica started: {begun.Value}");

        await stopSources.CancelAsync();
        await sources;
        await outside.DisposeAsync();
        Assert.That(await LiveReplicaTests.ControlAsync(replicas[1], "close"), Is.EqualTo((HttpStatusCode.NoContent, "")));
        await Task.WhenAll(following).WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        long closeSequence = (await replicas[1].HealthAsync()).Body.GetProperty("lastEventId").GetInt64();
        await Eventually.TrueAsync(() => recorder.Last >= closeSequence, TimeSpan.FromSeconds(10), "the close recorded");
        var model = new LogModel(LiveReplicaTests.Scenario, recorder.Messages);
        TestContext.Out.WriteLine(
            $"{Elapsed()}: closed at {closeSequence}: {recorder.Messages.Count} messages, {model.Events.Count} events, {model.Refused.Count} refused; "
            + $"control {control.Figures}; outside {outside.Published} published; clients: {followers.Sum(f => f.Connections - 1)} reconnects, {followers.Sum(f => f.Refusals)} refusals seen");

        Assert.That(model.Close?.Id, Is.EqualTo(closeSequence));
        Assert.That(recorder.Messages.Select(m => m.Sequence), Is.EqualTo(Enumerable.Range(1, (int)closeSequence).Select(n => (long)n)), "the recorder has every message");
        Assert.That(model.Events.Select(e => e.Data), Has.Some.StartsWith("feed ").And.Some.StartsWith("outside ").And.Some.Contains("\"state\":\"c"), "events from all three sources");
        Assert.That(model.Refused, Is.Not.Empty);
        for (int i = 0; i < followers.Count; i++)
        {
            var check = LiveFollowerCheck.Of(followers[i], model);
            Assert.That(check, Is.EqualTo(new LiveFollowerCheck(0, 0, 0, 1, true, true)), $"client {i}: {followers[i].Received.Count} frames over {followers[i].Connections} connections");
        }

        foreach (var (replica, from) in replicas.Replicas.Select(r => (r, r == late ? lateFrom : 0L)))
        {
            string resent = await SseFrames.ReadStreamAsync(replica.Port, $"{from}", TimeSpan.FromSeconds(20), cancellationToken);
            Assert.That(resent, Is.EqualTo("retry: 3000\n\n" + model.ResentAfter(from)), $"the bytes of every id after {from} on the replica on port {replica.Port}");
        }

        foreach (var replica in replicas.Replicas.Take(3))
        {
            Assert.That(replica.Lines("Refused sequence "), Has.Count.EqualTo(model.Refused.Count), "each refused message logged once");
            Assert.That(model.Refused.Select(s => replica.Lines($"Refused sequence {s}:").Count), Is.All.EqualTo(1));
            Assert.That(await replica.Http.GetStringAsync("metrics", cancellationToken), Does.Contain($"\nsseflights_log_refused_total {model.Refused.Count}\n"));
        }
    }

    /// <summary>Each replica behind nginx: its /healthz status, and for how long its log has been unreachable (0 while reachable).</summary>
    private static async Task<(string Status, double UnreachableSeconds)[]> Health(LiveReplicaSet replicas) =>
        await Task.WhenAll(replicas.Replicas.Take(3).Select(async r =>
        {
            var body = (await r.HealthAsync()).Body;
            return (body.GetProperty("status").GetString()!, body.TryGetProperty("logUnreachableSeconds", out var seconds) ? seconds.GetDouble() : 0);
        }));

    [GeneratedRegex(@"starting from the board stored at sequence (?<sequence>\d+) \(\d+ flights, event (?<event>\d+)\)")]
    private static partial Regex StoredStart();

    /// <summary>The control API of each replica in turn: updates, additions and removals, and now and then a drop; a replica that is down or away from the log is passed over.</summary>
    private sealed class ControlLoad(LiveReplicaSet replicas)
    {
        private readonly Dictionary<HttpStatusCode, int> _answers = [];

        public string Figures => string.Join(", ", _answers.OrderBy(a => a.Key).Select(a => $"{(int)a.Key}: {a.Value}"));

        public async Task RunAsync(CancellationToken stop)
        {
            int i = 0;
            try
            {
                for (int turn = 0; ; turn++)
                {
                    var replica = replicas[turn % 3];
                    var (action, body) = i % 25 == 24 ? ("drop", "")
                        : i % 10 == 3 ? ("events", $$$"""{"event": "flightAddition", "data": {"flight": "C{{{i}}}", "origin": "Oslo", "arrival": "12:00", "state": "c{{{i}}}"}}""")
                        : i % 10 == 8 ? ("events", $$$"""{"event": "flightRemoval", "data": {"flight": "C{{{i - 5}}}"}}""")
                        : ("events", $$$"""{"event": "flightStateUpdate", "data": {"flight": "F{{{i % 3}}}", "state": "c{{{i}}}"}}""");
                    try
                    {
                        var (status, _) = await LiveReplicaTests.ControlAsync(replica, action, body);
                        _answers[status] = _answers.GetValueOrDefault(status) + 1;
                        if (status != HttpStatusCode.ServiceUnavailable)
                        {
                            i++;
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !stop.IsCancellationRequested))
                    {
                        // That replica is down (killed, not yet replaced): the next one takes the same entry.
                    }

                    await Task.Delay(100, stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Done.
            }
        }
    }

    /// <summary>A producer that is not SseFlights: notes (as text and as JSON), and every sixth message one the replicas must refuse.</summary>
    private sealed class ExternalLoad(ExternalPublisher publisher) : IAsyncDisposable
    {
        public int Published { get; private set; }

        public static async Task<ExternalLoad> ConnectAsync(string url) => new(await ExternalPublisher.ConnectAsync(url));

        public async Task RunAsync(CancellationToken stop)
        {
            int n = 0;
            try
            {
                while (true)
                {
                    string body = n % 6 == 5 ? Refusals[(n / 6) % Refusals.Length]
                        : n % 2 == 0 ? $$"""{"event":"note","data":"outside {{n}}"}"""
                        : $$$"""{"event":"note","data":{"from":"outside","n":{{{n}}}}}""";
                    try
                    {
                        await publisher.PublishAsync(body, stop);
                        Published++;
                        n++;
                    }
                    catch (Exception ex) when (!stop.IsCancellationRequested && ex is NatsException or OperationCanceledException or TimeoutException)
                    {
                        // The log is away: this client reconnects by itself; the same message again shortly.
                    }

                    await Task.Delay(100, stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Done.
            }
        }

        public ValueTask DisposeAsync() => publisher.DisposeAsync();
    }
}
