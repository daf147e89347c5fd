using System.Globalization;
using System.Net;
using System.Text.Json.Serialization;
using SseFlights.Bench.Load;
using SseFlights.Bench.Report;
using SseFlights.Bench.Target;

namespace SseFlights.Bench.Live;

/// <summary>Where a live run's events come from: the NATS log (the live path), or each replica's own scenario timeline (its scripted twin, the same layout).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LiveSource>))]
internal enum LiveSource
{
    /// <summary>A publisher on a NATS JetStream log that both replicas read with <c>--nats</c>.</summary>
    Nats,

    /// <summary>The same events at the same rate from the scenario's timeline, both replicas on one <c>--epoch</c>.</summary>
    Scripted,
}

/// <summary>What a live run is asked to do.</summary>
internal sealed record LiveSettings(
    string Sseflights, string NatsServer, int Clients, double Rate, double Seconds, double Settle, double Drain, int ConnectConcurrency, int Rep, string LogFolder,
    string? PidFolder = null, LiveSource Source = LiveSource.Nats);

/// <summary>
/// The live path measured: nats-server with JetStream, two sseflights replicas with <c>--nats</c> on a new
/// stream, <see cref="LiveSettings.Clients"/> bench clients on each (the same raw-socket clients as the
/// scripted runs), then a publisher at <see cref="LiveSettings.Rate"/> events a second. Each event's due time
/// is the moment its message was published, so the latency is publish to arrival, through the log and a
/// replica; the window opens <see cref="LiveSettings.Settle"/> seconds into the publishing. With
/// <see cref="LiveSource.Scripted"/> the same layout plays the same events from the scenario instead (due at
/// their scheduled moment, as in the steady runs), so the two differ only in where the events come from.
/// Everything it starts is stopped by PID.
/// </summary>
internal sealed class LiveRun(LiveSettings settings, TextWriter progress)
{
    private const int ReplicaCount = 2;

    /// <summary>How long after the shared epoch a scripted twin's first event is due: time to start both replicas and connect every client.</summary>
    private const double ScriptedLeadSeconds = 12;

    private readonly List<string> _errors = [];

    public async Task<LiveResult> ExecuteAsync(CancellationToken ct)
    {
        DateTime startedAtUtc = DateTime.UtcNow;
        string folder = Directory.CreateTempSubdirectory("sseflights-bench-live-").FullName;
        var replicas = new List<ServerProcess>();
        NatsServerProcess? nats = null;
        LivePublisher? publisher = null;
        try
        {
            long total = (long)Math.Ceiling(settings.Rate * (settings.Settle + settings.Seconds)) + 1;
            var due = new long[total + 1];
            string scenario = Path.Combine(folder, "live.json");
            DateTimeOffset? epoch = null;
            if (settings.Source == LiveSource.Nats)
            {
                await File.WriteAllTextAsync(scenario, Scenario([]), ct);
                nats = await NatsServerProcess.StartAsync(settings.NatsServer, folder, PidFile("nats"), ct);
            }
            else
            {
                // Whole milliseconds, as --epoch carries them; message k's twin is due at the same offset from the first.
                var now = DateTimeOffset.UtcNow;
                epoch = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
                double[] at = [.. Enumerable.Range(0, (int)total).Select(k => Math.Round(ScriptedLeadSeconds + (k / settings.Rate), 3))];
                await File.WriteAllTextAsync(scenario, Scenario(at), ct);
                var clock = new WallClock();
                for (int k = 1; k <= total; k++) due[k] = clock.ToTimestamp(epoch.Value.UtcDateTime + TimeSpan.FromSeconds(at[k - 1]));
            }

            for (int i = 0; i < ReplicaCount; i++)
            {
                var launch = new ServerLaunch(
                    ServerKind.Sseflights, Path.GetFullPath(settings.Sseflights), scenario, 1, (int)total + 10, settings.Clients + 100, 15,
                    Path.Combine(settings.LogFolder, $"live-{settings.Source.ToString().ToLowerInvariant()}-{settings.Clients}-{settings.Rep}-replica{i + 1}.log"),
                    PidFile($"replica{i + 1}"), NatsUrl: nats?.Url, Epoch: epoch);
                replicas.Add(ServerProcess.Start(launch, PortPicker.Pick()));
            }

            foreach (var replica in replicas)
            {
                using var probe = new HealthProbe(new Uri($"http://127.0.0.1:{replica.Port}/"));
                await probe.WaitAsync(TimeSpan.FromSeconds(30), () => !replica.HasExited, ct);
            }

            var contexts = replicas.Select(r => new LoadContext(new IPEndPoint(IPAddress.Loopback, r.Port), due, settings.ConnectConcurrency, TimeSpan.FromSeconds(30))).ToList();
            var clients = contexts.Select(_ => new StreamClient[settings.Clients]).ToList();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var tasks = new List<Task>();
            int[] connected = new int[ReplicaCount];
            for (int i = 0; i < ReplicaCount; i++)
            {
                connected[i] = await ConnectAsync(contexts[i], clients[i], tasks, stop.Token);
            }

            progress.WriteLine($"  connected {string.Join(" and ", connected)} of {settings.Clients} on each replica");
            long start;
            Task events;
            if (nats is not null)
            {
                start = WallClock.Now() + WallClock.FromSeconds(0.5);
                publisher = new LivePublisher(nats.Url, "sseflights.events", settings.Rate, due);
                events = publisher.RunAsync(start, stop.Token);
            }
            else
            {
                start = due[1];
                if (WallClock.Now() > start)
                {
                    _errors.Add($"the clients were still connecting when the first scripted event was due, {ScriptedLeadSeconds} s after the epoch");
                }

                events = DelayUntilAsync(due[total], stop.Token);
            }

            long windowStart = start + WallClock.FromSeconds(settings.Settle);
            long windowEnd = windowStart + WallClock.FromSeconds(settings.Seconds);
            contexts.ForEach(c => c.SetWindow(windowStart, windowEnd));
            await DelayUntilAsync(windowStart, stop.Token);
            ProcSample?[] samples = [.. replicas.Select(r => ProcSample.Read(r.Pid))];
            await events;
            var ended = replicas.Select(r => ProcSample.Read(r.Pid)).ToArray();
            long published = publisher?.Published ?? total;
            _errors.AddRange(publisher?.Errors ?? []);
            await WaitUntilAsync(() => clients.SelectMany(c => c).All(c => !c.EverConnected || c.LastId >= published), settings.Drain, stop.Token);

            // Stop every client before counting, so nothing arrives while the books are closed.
            contexts.ForEach(c => c.Stopping = true);
            await stop.CancelAsync();
            foreach (var client in clients.SelectMany(c => c)) client?.Close();
            try
            {
                await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(15), CancellationToken.None);
            }
            catch (TimeoutException)
            {
                progress.WriteLine("  warning: some clients did not stop within 15 s");
            }

            double windowSeconds = WallClock.SecondsBetween(windowStart, windowEnd);
            double cpuWindow = WallClock.SecondsBetween(windowStart, WallClock.Now());
            var results = Enumerable.Range(0, ReplicaCount).Select(i =>
            {
                long missing = RecordMissing(clients[i], due, windowStart, windowEnd);
                var latency = contexts[i].Latency.Summarize(
                    clients[i].Select(c => c.MinLatencyMicroseconds).DefaultIfEmpty(0).Min(),
                    clients[i].Select(c => c.MaxLatencyMicroseconds).DefaultIfEmpty(0).Max());
                double? cpu = samples[i] is { } a && ended[i] is { } b ? Math.Round(100 * (b.CpuSeconds - a.CpuSeconds) / Math.Max(0.001, cpuWindow), 1) : null;
                return new LiveReplicaResult(
                    connected[i], settings.Clients - connected[i], clients[i].Sum(c => c.WindowDeliveries), missing,
                    clients[i].Sum(c => c.Gaps), clients[i].Sum(c => c.Duplicates), latency, cpu, ended[i]?.RssKiB);
            }).ToList();
            long eventsInWindow = due.Skip(1).LongCount(t => t >= windowStart && t <= windowEnd);
            var result = new LiveResult
            {
                Source = settings.Source,
                Clients = settings.Clients,
                Rate = settings.Rate,
                Rep = settings.Rep,
                StartedAtUtc = startedAtUtc,
                WindowSeconds = Math.Round(windowSeconds, 3),
                Published = published,
                EventsInWindow = eventsInWindow,
                Replicas = results,
            };
            return Judge(result);
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }

            if (publisher is not null) await publisher.DisposeAsync();
            if (nats is not null) await nats.DisposeAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Where a started process's PID goes, so a script can stop what a killed run left behind; null without a folder.</summary>
    private string? PidFile(string name) => settings.PidFolder is { } pids ? Path.Combine(pids, $"live-{name}.pid") : null;

    /// <summary>
    /// The replicas' scenario: a board of a few flights and the one custom event the publisher sends; for the
    /// scripted twin, that event at each of <paramref name="at"/>, with the publisher's data (<c>{"n": k}</c>).
    /// </summary>
    private static string Scenario(IReadOnlyList<double> at)
    {
        string timeline = string.Join(",\n    ", at.Select((t, i) => string.Create(CultureInfo.InvariantCulture, $$$"""{ "at": {{{t}}}, "event": "tick", "data": { "n": {{{i + 1}}} } }""")));
        return $$"""
            {
              "name": "Live bench",
              "customEvents": ["tick"],
              "flights": [
                { "flight": "L1", "origin": "Rome", "arrival": "08:00", "state": "" },
                { "flight": "L2", "origin": "Oslo", "arrival": "08:30", "state": "" }
              ],
              "timeline": [
                {{timeline}}
              ]
            }
            """;
    }

    private async Task<int> ConnectAsync(LoadContext context, StreamClient[] batch, List<Task> tasks, CancellationToken ct)
    {
        Task allResolved = context.ExpectConnects(batch.Length);
        for (int i = 0; i < batch.Length; i++)
        {
            batch[i] = new StreamClient(context, stalled: false);
            tasks.Add(batch[i].RunAsync(ct));
        }

        try
        {
            await allResolved.WaitAsync(TimeSpan.FromSeconds(120), ct);
        }
        catch (TimeoutException)
        {
            _errors.Add($"{batch.Length - context.Connected - context.Failed} clients neither connected nor failed within 120 s");
        }

        return context.Connected;
    }

    /// <summary>Window events that never reached a connected client count as arriving now (a lower bound), as in the scripted runs.</summary>
    private static long RecordMissing(StreamClient[] clients, long[] due, long windowStart, long windowEnd)
    {
        long now = WallClock.Now();
        long missing = 0;
        foreach (var client in clients.Where(c => c.EverConnected))
        {
            for (long id = Math.Max(1, client.LastId + 1); id < due.Length && due[id] != 0 && due[id] <= windowEnd; id++)
            {
                if (due[id] < windowStart) continue;
                missing++;
                client.RecordCensored(id, (now - due[id]) / WallClock.TimestampsPerMicrosecond);
            }
        }

        return missing;
    }

    private LiveResult Judge(LiveResult result)
    {
        for (int i = 0; i < result.Replicas.Count; i++)
        {
            var r = result.Replicas[i];
            string which = string.Create(CultureInfo.InvariantCulture, $"replica {i + 1}: ");
            if (r.Failed > 0) _errors.Add(which + $"{r.Failed} clients failed to connect");
            if (r.Gaps > 0) _errors.Add(which + $"{r.Gaps} gaps in event ids");
            if (r.Duplicates > 0) _errors.Add(which + $"{r.Duplicates} duplicate events");
            if (r.Missing > 0) _errors.Add(which + $"{r.Missing} deliveries of window events had not arrived by the end of the drain");
            if (r.Deliveries == 0) _errors.Add(which + "no events arrived in the window");
        }

        return result with { Ok = _errors.Count == 0, Errors = [.. _errors] };
    }

    private static async Task DelayUntilAsync(long timestamp, CancellationToken ct)
    {
        double seconds = WallClock.SecondsBetween(WallClock.Now(), timestamp);
        if (seconds > 0) await Task.Delay(TimeSpan.FromSeconds(seconds), ct);
    }

    private static async Task WaitUntilAsync(Func<bool> done, double maxSeconds, CancellationToken ct)
    {
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        while (!done() && elapsed.Elapsed.TotalSeconds < maxSeconds) await Task.Delay(50, ct);
    }
}
