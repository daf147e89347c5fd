using System.Diagnostics;
using System.Net;
using SseFlights.Bench.Report;
using SseFlights.Bench.Scenario;
using SseFlights.Bench.Target;

namespace SseFlights.Bench.Load;

/// <summary>One run against one server: start it (or find it), read its clock from /healthz,
/// connect the stalled clients then the healthy ones, wait until all are in, measure a window of
/// due events, drain, time the drop if asked (or, in a soak, keep the books on every reconnect),
/// and stop everything it started.</summary>
internal sealed class LoadRun(RunSettings settings, TextWriter progress)
{
    /// <summary>Starts of a server on a picked port before an early exit is an error (see <see cref="ExecuteAsync"/>).</summary>
    private const int StartAttempts = 3;

    private readonly List<string> _errors = [];

    public async Task<RunResult> ExecuteAsync(CancellationToken ct)
    {
        DateTime startedAtUtc = DateTime.UtcNow;
        ServerProcess? server = null;
        try
        {
            if (settings.Launch is not { } launch)
            {
                Uri target = settings.Target ?? throw new ArgumentException("either a server to start or a target URL is needed");
                using var targetProbe = new HealthProbe(target);
                Health targetHealth = await targetProbe.WaitAsync(TimeSpan.FromSeconds(settings.StartTimeoutSeconds), () => true, ct);
                return await MeasureAsync(target, settings.Pid, targetHealth, targetProbe, startedAtUtc, ct);
            }

            for (int attempt = 1; ; attempt++)
            {
                server = ServerProcess.Start(launch, settings.Port ?? PortPicker.Pick());
                var baseUri = new Uri($"http://127.0.0.1:{server.Port}/");
                using var probe = new HealthProbe(baseUri);
                Health health;
                try
                {
                    health = await probe.WaitAsync(TimeSpan.FromSeconds(settings.StartTimeoutSeconds), () => !server.HasExited, ct);
                }
                catch (InvalidOperationException) when (server.HasExited && settings.Port is null && attempt < StartAttempts)
                {
                    // The port was free when picked, but something may have taken it before the server bound it.
                    Console.Error.WriteLine($"  the server exited (code {server.ExitCode}) before /healthz answered on port {server.Port}; starting it again on another port");
                    await server.DisposeAsync();
                    server = null;
                    continue;
                }

                return await MeasureAsync(baseUri, server.Pid, health, probe, startedAtUtc, ct);
            }
        }
        finally
        {
            if (server is not null) await server.DisposeAsync();
        }
    }

    private async Task<RunResult> MeasureAsync(Uri baseUri, int? pid, Health health, HealthProbe probe, DateTime startedAtUtc, CancellationToken ct)
    {
        var clock = new WallClock();
        Schedule? schedule = settings.ScenarioPath is { } path ? Schedule.Load(path) : null;
        long[]? due = schedule is null ? null : DueTimestamps(schedule, health, clock);
        IPAddress address = baseUri.IsLoopback && baseUri.Host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(baseUri.Host);
        var context = new LoadContext(
            new IPEndPoint(address, baseUri.Port), due, settings.ConnectConcurrency, TimeSpan.FromSeconds(settings.AttemptTimeoutSeconds))
        {
            ReconnectAfterRetry = settings.Soak,
            // 127.0.0.2 upwards: a connect from any 127/8 address to the loopback server stays on lo.
            SourceAddresses = [.. Enumerable.Range(2, settings.SourceAddresses).Select(i => new IPAddress([127, 0, 0, (byte)i]))],
        };
        // A soak is measured while the drops go on: its window opens at the first one.
        long? soakFrom = null;
        if (settings.Soak)
        {
            if (schedule?.Drops.FirstOrDefault() is { } firstDrop) soakFrom = DueOf(firstDrop.At, health, clock);
            else _errors.Add("a soak needs a scenario with drops (soak.json)");
        }
        Drop? drop = settings.TimeDrop ? schedule?.Drops.FirstOrDefault() : null;
        if (settings.TimeDrop && drop is null) _errors.Add("no drop in the scenario to time");
        if (drop is not null) context.SetDrop(DueOf(drop.At, health, clock), drop.LastIdBefore);

        ProcSample? idle = pid is { } p0 ? ProcSample.Read(p0) : null;
        int? filesIdle = pid is { } f0 ? ProcSample.OpenFiles(f0) : null;
        ServerCounters? countersIdle = await probe.ReadCountersAsync(ct);
        await using ProcWatcher? watcher = pid is { } p1 ? new ProcWatcher(p1) : null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var tasks = new List<Task>();
        var stalled = new StreamClient[settings.Stalled];
        var clients = new StreamClient[settings.Clients];
        try
        {
            int stalledConnected = await ConnectAsync(context, stalled, stalledClients: true, tasks, stop.Token);
            long connectStart = WallClock.Now();
            int connected = await ConnectAsync(context, clients, stalledClients: false, tasks, stop.Token);
            int failed = settings.Clients - connected;
            long lastConnect = clients.Where(c => c.EverConnected).Select(c => c.ConnectedAt).DefaultIfEmpty(WallClock.Now()).Max();
            double connectSeconds = WallClock.SecondsBetween(connectStart, lastConnect);
            progress.WriteLine($"  connected {connected}/{settings.Clients} in {connectSeconds:F2} s" + (settings.Stalled > 0 ? $" (+{stalledConnected} stalled)" : ""));

            (long windowStart, long windowEnd) = Window(due, schedule?.CloseId, Math.Max(lastConnect + WallClock.FromSeconds(settings.SettleSeconds), soakFrom ?? long.MinValue));
            if (drop is not null && settings.WindowBeforeDrop)
            {
                // The scale run: steady latency before the drop, the storm after it; the window stops short of the drop.
                long beforeDrop = context.DropTimestamp - WallClock.FromSeconds(0.1);
                if (windowEnd > beforeDrop) windowEnd = Math.Max(windowStart + WallClock.FromSeconds(1), beforeDrop);
                if (windowEnd > beforeDrop) _errors.Add($"the clients connected too late for a window before the drop at {drop.At} s: make the scenario's drop later");
            }
            context.SetWindow(windowStart, windowEnd);
            if (drop is not null && !settings.WindowBeforeDrop && (context.DropTimestamp < windowStart || context.DropTimestamp > windowEnd))
            {
                _errors.Add($"the drop at {drop.At} s is outside the window (clients connected too late or the window is too short)");
            }
            await DelayUntilAsync(windowStart, stop.Token);
            ProcSample? atStart = pid is { } p2 ? ProcSample.Read(p2) : null;
            ProcSample? benchAtStart = ProcSample.Read(Environment.ProcessId);
            int? filesConnected = pid is { } f1 ? ProcSample.OpenFiles(f1) : null;
            int? benchFiles = ProcSample.OpenFiles(Environment.ProcessId);
            int? serverClients = await ReadClientsAsync(probe, stop.Token);
            ServerCounters? countersAtStart = await probe.ReadCountersAsync(stop.Token);
            watcher?.ResetPeaks();
            await DelayUntilAsync(windowEnd, stop.Token);
            ProcSample? atEnd = pid is { } p3 ? ProcSample.Read(p3) : null;
            ProcSample? benchAtEnd = ProcSample.Read(Environment.ProcessId);
            ServerCounters? countersAtEnd = await probe.ReadCountersAsync(stop.Token);
            (int Threads, long RssKiB) peaks = watcher?.Peaks ?? default;

            long lastWindowId = due is null ? -1 : LastIdDueBy(due, windowEnd);
            await WaitUntilAsync(() => clients.All(c => !c.EverConnected || c.LastId >= lastWindowId), settings.DrainSeconds, stop.Token);
            if (drop is not null)
            {
                long deadline = context.DropTimestamp + WallClock.FromSeconds(settings.CatchUpTimeoutSeconds);
                await WaitUntilAsync(
                    () => clients.All(c => !c.EverConnected || c.CaughtUpAt != 0),
                    Math.Max(0, WallClock.SecondsBetween(WallClock.Now(), deadline)),
                    stop.Token);
            }
            if (schedule?.CloseId is { } closeId && due is not null)
            {
                // Every stream ends with the close: wait for it at each client, as long as the drain allows after its due time.
                double untilClose = Math.Max(0, WallClock.SecondsBetween(WallClock.Now(), due[closeId])) + settings.DrainSeconds;
                await WaitUntilAsync(() => clients.All(c => !c.EverConnected || c.CloseLatencyMicroseconds is not null), untilClose, stop.Token);
            }
            // After a storm every client holds its new socket: the generator's other high point.
            if (ProcSample.OpenFiles(Environment.ProcessId) is { } benchFilesAfter && benchFilesAfter > (benchFiles ?? 0)) benchFiles = benchFilesAfter;
            ServerCounters? countersDrained = await probe.ReadCountersAsync(stop.Token);
            int stalledClosed = await StalledClosedAsync(stalled);
            // Stop every client before counting, so nothing arrives while the books are closed.
            await StopClientsAsync(context, stop, clients, stalled, tasks);
            long missing = due is null ? 0 : RecordMissing(context, clients, due, windowStart, windowEnd);

            double windowSeconds = WallClock.SecondsBetween(windowStart, windowEnd);
            long deliveries = clients.Sum(c => c.WindowDeliveries);
            long eventsInWindow = due is null ? 0 : due.Skip(1).LongCount(t => t >= windowStart && t <= windowEnd);
            LatencySummary latency = context.Latency.Summarize(
                clients.Select(c => c.MinLatencyMicroseconds).DefaultIfEmpty(0).Min(),
                clients.Select(c => c.MaxLatencyMicroseconds).DefaultIfEmpty(0).Max());
            var result = new RunResult
            {
                Server = settings.ServerLabel,
                Mode = settings.Mode,
                Clients = settings.Clients,
                Stalled = settings.Stalled,
                Rep = settings.Rep,
                Scenario = schedule?.Name,
                Speed = health.Speed,
                StartedAtUtc = startedAtUtc,
                Connected = connected,
                Failed = failed,
                ConnectSeconds = Math.Round(connectSeconds, 3),
                WindowSeconds = Math.Round(windowSeconds, 3),
                EventsInWindow = eventsInWindow,
                Deliveries = deliveries,
                DeliveriesPerSecond = Math.Round(deliveries / windowSeconds, 1),
                Missing = missing,
                Latency = latency,
                Close = schedule?.CloseId is null ? null : RunStatistics.Close(schedule, clients, context.CloseLatency, latency),
                Events = clients.Sum(c => c.Events),
                Reads = clients.Sum(c => c.Reads),
                Gaps = clients.Sum(c => c.Gaps),
                Duplicates = clients.Sum(c => c.Duplicates),
                UnknownIds = clients.Sum(c => c.UnknownIds),
                EarlyEvents = clients.Sum(c => c.EarlyEvents),
                Cuts = clients.Sum(c => c.Cuts),
                Reconnects = clients.Sum(c => c.Reconnects),
                ReconnectFailures = clients.Sum(c => c.ReconnectFailures),
                ServerStats = RunStatistics.Server(pid, idle, atStart, atEnd, peaks, connected + stalledConnected, deliveries, windowSeconds, serverClients,
                    countersAtEnd?.AllocatedBytes - countersAtStart?.AllocatedBytes,
                    RunStatistics.Collections(countersIdle, countersAtStart, countersAtEnd, countersDrained), (filesIdle, filesConnected)),
                Bench = RunStatistics.Bench(benchAtStart, benchAtEnd, windowSeconds, benchFiles),
                SlowestEvents = schedule is null ? [] : RunStatistics.Slowest(context.WorstByEvent, schedule, 5),
                Storm = drop is null ? null : RunStatistics.Storm(drop, clients, context.DropTimestamp),
                Soak = settings.Soak && schedule is not null
                    ? RunStatistics.Soak(schedule, clients, context.CatchUp, windowSeconds, countersAtEnd?.AllocatedBytes - countersAtStart?.AllocatedBytes)
                    : null,
                StalledClients = settings.Stalled == 0 ? null : new StalledStats(settings.Stalled, stalledConnected, stalledClosed),
            };
            return Judge(result);
        }
        finally
        {
            await StopClientsAsync(context, stop, clients, stalled, tasks);
        }
    }

    private async Task StopClientsAsync(LoadContext context, CancellationTokenSource stop, StreamClient[] clients, StreamClient[] stalled, List<Task> tasks)
    {
        if (context.Stopping) return;
        context.Stopping = true;
        await stop.CancelAsync();
        foreach (StreamClient? c in clients.Concat(stalled)) c?.Close();
        try
        {
            await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(15), CancellationToken.None);
        }
        catch (TimeoutException)
        {
            progress.WriteLine("  warning: some clients did not stop within 15 s");
        }
    }

    private static async Task<int> StalledClosedAsync(StreamClient[] stalled)
    {
        bool[] closed = await Task.WhenAll(stalled.Where(s => s.EverConnected).Select(s => s.DrainFindsClosedAsync(TimeSpan.FromSeconds(3))));
        return closed.Count(c => c);
    }

    /// <summary>Window events that never reached a connected client (ids after its last, as ids
    /// arrive in order) still count in the latency, as arriving now: a lower bound that keeps the
    /// percentiles honest when a server leaves some clients behind.</summary>
    private static long RecordMissing(LoadContext context, StreamClient[] clients, long[] due, long windowStart, long windowEnd)
    {
        long now = WallClock.Now();
        long missing = 0;
        foreach (StreamClient client in clients.Where(c => c.EverConnected))
        {
            for (long id = Math.Max(1, client.LastId + 1); id < due.Length && due[id] <= windowEnd; id++)
            {
                if (due[id] < windowStart) continue;
                missing++;
                client.RecordCensored(id, (now - due[id]) / WallClock.TimestampsPerMicrosecond);
            }
        }
        return missing;
    }

    /// <summary>Starts <paramref name="batch"/> clients and waits until each has connected or failed.</summary>
    private async Task<int> ConnectAsync(LoadContext context, StreamClient[] batch, bool stalledClients, List<Task> tasks, CancellationToken ct)
    {
        if (batch.Length == 0) return 0;
        Task allResolved = context.ExpectConnects(batch.Length);
        for (int i = 0; i < batch.Length; i++)
        {
            batch[i] = new StreamClient(context, stalledClients);
            tasks.Add(batch[i].RunAsync(ct));
        }
        try
        {
            await allResolved.WaitAsync(TimeSpan.FromSeconds(settings.ConnectTimeoutSeconds), ct);
        }
        catch (TimeoutException)
        {
            _errors.Add($"{batch.Length - context.Connected - context.Failed} {(stalledClients ? "stalled " : "")}clients neither connected nor failed within {settings.ConnectTimeoutSeconds} s");
        }
        return context.Connected;
    }

    /// <summary>The window opens at <paramref name="earliest"/> (every client in and settled, and for a
    /// soak its first drop) but not before the first event is due, and lasts
    /// <see cref="RunSettings.Seconds"/> or until the last event is due.</summary>
    private (long Start, long End) Window(long[]? due, long? closeId, long earliest)
    {
        long start = earliest;
        if (due is { Length: > 1 }) start = Math.Max(start, due[1]);
        long end = start + WallClock.FromSeconds(settings.Seconds);
        // The close ends every stream: the window holds ordinary events only, so it ends before the close.
        long lastOrdinary = due is null ? 0 : closeId is { } close ? close - 1 : due.Length - 1;
        if (due is { Length: > 1 } && lastOrdinary > 0 && due[lastOrdinary] < end)
        {
            end = due[lastOrdinary];
            _errors.Add($"the scenario ends {WallClock.SecondsBetween(start, end):F1} s into the window: make it longer");
            if (end <= start) end = start + WallClock.FromSeconds(1);
        }
        return (start, end);
    }

    private static long[] DueTimestamps(Schedule schedule, Health health, WallClock clock)
    {
        var due = new long[schedule.EventCount + 1];
        for (int id = 1; id <= schedule.EventCount; id++) due[id] = DueOf(schedule.AtOf(id), health, clock);
        return due;
    }

    private static long DueOf(double at, Health health, WallClock clock) =>
        clock.ToTimestamp(health.StartedAtUtc + TimeSpan.FromSeconds(at / health.Speed));

    private static long LastIdDueBy(long[] due, long end)
    {
        long last = 0;
        for (int id = 1; id < due.Length && due[id] <= end; id++) last = id;
        return last;
    }

    private static async Task DelayUntilAsync(long timestamp, CancellationToken ct)
    {
        double seconds = WallClock.SecondsBetween(WallClock.Now(), timestamp);
        if (seconds > 0) await Task.Delay(TimeSpan.FromSeconds(seconds), ct);
    }

    private static async Task WaitUntilAsync(Func<bool> done, double maxSeconds, CancellationToken ct)
    {
        var elapsed = Stopwatch.StartNew();
        while (!done() && elapsed.Elapsed.TotalSeconds < maxSeconds) await Task.Delay(50, ct);
    }

    private async Task<int?> ReadClientsAsync(HealthProbe probe, CancellationToken ct)
    {
        try
        {
            return (await probe.ReadAsync(ct)).Clients;
        }
        catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException or KeyNotFoundException || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            _errors.Add($"/healthz did not answer during the run: {e.Message}");
            return null;
        }
    }

    private RunResult Judge(RunResult result)
    {
        if (result.Failed > 0) _errors.Add($"{result.Failed} clients failed to connect");
        if (result.Gaps > 0) _errors.Add($"{result.Gaps} gaps in event ids");
        if (result.Duplicates > 0) _errors.Add($"{result.Duplicates} duplicate events");
        if (result.UnknownIds > 0) _errors.Add($"{result.UnknownIds} events with ids beyond the scenario");
        if (result.Deliveries == 0) _errors.Add("no events arrived in the window");
        if (result.Missing > 0) _errors.Add($"{result.Missing} deliveries of window events had not arrived by the end of the drain");
        if (result.Close is { } close && close.Reached < close.Clients) _errors.Add($"{close.Clients - close.Reached} clients never got the close");
        if (result.Storm is { NotCaughtUp: > 0 } storm) _errors.Add($"{storm.NotCaughtUp} clients had not caught up after the drop");
        if (result.Soak is { } soak)
        {
            // A server that ignores a drop, or the retry it was started with, is not soaked as asked.
            if (soak.Reconnects == 0) _errors.Add("no reconnects in the window: the server did not cut the streams at the scenario's drops");
            if (settings.RetryMilliseconds is { } retry && soak.RetryMs != retry)
            {
                _errors.Add($"the clients hold retry {(soak.RetryMs is { } got ? $"{got} ms" : "none")}, not the {retry} ms the server was started with");
            }
        }
        return result with { Ok = _errors.Count == 0, Errors = [.. _errors] };
    }
}
