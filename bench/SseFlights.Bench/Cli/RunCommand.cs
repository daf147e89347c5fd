using System.CommandLine;
using System.Text.Json;
using SseFlights.Bench.Load;
using SseFlights.Bench.Report;
using SseFlights.Bench.Scenario;
using SseFlights.Bench.Target;

namespace SseFlights.Bench.Cli;

/// <summary>The root command: one load run (or, with --smoke, the quick check a test calls),
/// printing its result as one line of JSON on stdout and progress on stderr.</summary>
internal static class RunCommand
{
    public static RootCommand Create(CancellationToken stopping)
    {
        var server = new Option<string?>("--server") { Description = "Start this server: the sseflights or kestrel-peer executable (or .dll), the Node peer's server.js, or bench/peers/limit/limit-peer" };
        var kind = new Option<ServerKind>("--kind") { Description = "Which server --server is", DefaultValueFactory = _ => ServerKind.Sseflights };
        var target = new Option<string?>("--target") { Description = "Measure an already running server instead, e.g. http://127.0.0.1:20000/" };
        target.Validators.Add(result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (TargetUri(text) is null) result.AddError($"--target must be an http URL on loopback such as http://127.0.0.1:20000/, not '{text}'");
        });
        var pid = new Option<int?>("--pid") { Description = "PID of the --target server, for memory, thread and CPU readings" };
        var port = new Option<int?>("--port") { Description = "Port for the started server (default: a free one in 20000-29999)" };
        var scenario = new Option<string?>("--scenario") { Description = "Scenario file the server plays (needed for latency)" };
        var speed = new Option<double>("--speed") { Description = "Scenario speed for the started server", DefaultValueFactory = _ => 1 };
        var clients = new Option<int>("--clients", "-n") { Description = "Healthy clients", DefaultValueFactory = _ => 100 };
        var stalled = new Option<int>("--stalled") { Description = "Clients that read their snapshot and then never read again" };
        var label = new Option<string?>("--label") { Description = "Server name in the results (default: the --kind in lower case), e.g. sseflights-aot for the Native AOT build" };
        var mode = new Option<string>("--mode") { Description = "Label of the run in the results (steady, throughput, stalled, storm, soak, close, scale)", DefaultValueFactory = _ => "steady" };
        var rep = new Option<int>("--rep") { Description = "Repetition number, for the results", DefaultValueFactory = _ => 1 };
        var seconds = new Option<double>("--seconds") { Description = "Measurement window", DefaultValueFactory = _ => 30 };
        var settle = new Option<double>("--settle") { Description = "Wait after the last client connected before the window", DefaultValueFactory = _ => 2 };
        var drain = new Option<double>("--drain") { Description = "Longest wait after the window for its events to arrive", DefaultValueFactory = _ => 5 };
        var concurrency = new Option<int>("--connect-concurrency") { Description = "Connects in flight at once (0: no limit)", DefaultValueFactory = _ => 500 };
        var connectTimeout = new Option<double>("--connect-timeout") { Description = "Longest time for all clients to connect", DefaultValueFactory = _ => 120 };
        var timeDrop = new Option<bool>("--time-drop") { Description = "Time the scenario's first drop: clients cut, and when each caught up" };
        var windowBeforeDrop = new Option<bool>("--window-before-drop") { Description = "With --time-drop: end the window before the drop and time the drop after it (the scale run), instead of holding the drop in the window" };
        var sources = new Option<int>("--source-addresses") { Description = "Spread the clients over this many loopback source addresses, 127.0.0.2 upwards (0: the kernel's choice, 127.0.0.1); past about 14,000 streams from one address each connect scans the ephemeral port range" };
        sources.Validators.Add(result =>
        {
            if (result.Tokens.Count == 0) return;
            string text = result.Tokens[0].Value;
            if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int k) || k > 250)
            {
                result.AddError($"--source-addresses must be a whole number from 0 to 250, not '{text}'");
            }
        });
        var catchUpTimeout = new Option<double>("--catch-up-timeout") { Description = "Longest wait after the drop for every client to catch up", DefaultValueFactory = _ => 20 };
        var soak = new Option<bool>("--soak") { Description = "Reconnect-heavy soak: clients reconnect after the server's retry: as browsers do; the window opens at the first drop; reconnects, catch-up and GC per reconnect are reported" };
        var retry = new Option<int?>("--retry") { Description = "retry: milliseconds the started server sends (default: its own, 3000); a soak checks the clients got it" };
        retry.Validators.Add(result =>
        {
            if (result.Tokens.Count == 0) return;
            string text = result.Tokens[0].Value;
            if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                result.AddError($"--retry must be a whole number of milliseconds, not '{text}'");
            }
        });
        var history = new Option<int?>("--history") { Description = "sseflights --history (default: every event of the scenario)" };
        var maxClients = new Option<int?>("--max-clients") { Description = "sseflights --max-clients (default: twice the clients, plus 100)" };
        var heartbeat = new Option<int>("--heartbeat") { Description = "sseflights --heartbeat seconds", DefaultValueFactory = _ => 15 };
        var serverLog = new Option<string>("--server-log") { Description = "File for the started server's output", DefaultValueFactory = _ => "/dev/null" };
        var pidFile = new Option<string?>("--server-pidfile") { Description = "Write the started server's PID here" };
        var output = new Option<string?>("--out") { Description = "Append the result line to this JSON-lines file" };
        var smoke = new Option<bool>("--smoke") { Description = "Quick check: 20 clients for a few seconds against the --server (of --kind, sseflights by default); exit 0 only if all connected, events arrived, no gaps" };

        var root = new RootCommand("SseFlights benchmark: load generator, scenario writer and report writer.")
        {
            server, kind, label, target, pid, port, scenario, speed, clients, stalled, mode, rep, seconds, settle, drain,
            concurrency, sources, connectTimeout, timeDrop, windowBeforeDrop, catchUpTimeout, soak, retry, history, maxClients, heartbeat, serverLog, pidFile, output, smoke,
        };
        root.SetAction(async (parse, ct) =>
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, stopping);
            bool isSmoke = parse.GetValue(smoke);
            string? serverPath = parse.GetValue(server);
            Uri? targetUri = parse.GetValue(target) is { } targetText ? TargetUri(targetText) : null;
            if ((serverPath is null) == (targetUri is null))
            {
                await Console.Error.WriteLineAsync("Give exactly one of --server (start it) or --target (already running).");
                return 2;
            }
            string? temp = null;
            string? scenarioPath = parse.GetValue(scenario);
            if (isSmoke && scenarioPath is null && serverPath is not null)
            {
                temp = Directory.CreateTempSubdirectory("sseflights-bench-smoke-").FullName;
                scenarioPath = ScenarioSet.WriteSmoke(temp);
            }
            try
            {
                int clientCount = isSmoke ? 20 : parse.GetValue(clients);
                int stalledCount = isSmoke ? 0 : parse.GetValue(stalled);
                ServerLaunch? launch = null;
                if (serverPath is not null)
                {
                    if (scenarioPath is null)
                    {
                        await Console.Error.WriteLineAsync("--scenario is needed to start a server.");
                        return 2;
                    }
                    launch = new ServerLaunch(
                        parse.GetValue(kind),
                        Path.GetFullPath(serverPath),
                        Path.GetFullPath(scenarioPath),
                        parse.GetValue(speed),
                        parse.GetValue(history) ?? Math.Max(1, Schedule.Load(scenarioPath).EventCount),
                        parse.GetValue(maxClients) ?? 2 * (clientCount + stalledCount) + 100,
                        parse.GetValue(heartbeat),
                        parse.GetValue(serverLog)!,
                        parse.GetValue(pidFile),
                        parse.GetValue(retry));
                }
                var settings = new RunSettings
                {
                    Mode = isSmoke ? "smoke" : parse.GetValue(mode)!,
                    ServerLabel = parse.GetValue(label) ?? (launch is null ? "target" : launch.Kind.ToString().ToLowerInvariant()),
                    Clients = clientCount,
                    Stalled = stalledCount,
                    Rep = parse.GetValue(rep),
                    ScenarioPath = scenarioPath,
                    Launch = launch,
                    Port = parse.GetValue(port),
                    Target = targetUri,
                    Pid = parse.GetValue(pid),
                    Seconds = isSmoke ? 2 : parse.GetValue(seconds),
                    SettleSeconds = isSmoke ? 0.5 : parse.GetValue(settle),
                    DrainSeconds = isSmoke ? 2 : parse.GetValue(drain),
                    ConnectConcurrency = parse.GetValue(concurrency),
                    SourceAddresses = isSmoke ? 0 : parse.GetValue(sources),
                    ConnectTimeoutSeconds = isSmoke ? 20 : parse.GetValue(connectTimeout),
                    TimeDrop = !isSmoke && parse.GetValue(timeDrop),
                    WindowBeforeDrop = !isSmoke && parse.GetValue(windowBeforeDrop),
                    CatchUpTimeoutSeconds = parse.GetValue(catchUpTimeout),
                    Soak = !isSmoke && parse.GetValue(soak),
                    RetryMilliseconds = parse.GetValue(retry),
                    // A server we start may take a while to come up; one already running answers at once.
                    StartTimeoutSeconds = launch is null ? 5 : 30,
                };
                return await RunAsync(settings, parse.GetValue(output), linked.Token);
            }
            finally
            {
                if (temp is not null) Directory.Delete(temp, recursive: true);
            }
        });
        return root;
    }

    /// <summary>An http URL whose host is an IPv4 literal or localhost (the generator connects by IP).</summary>
    private static Uri? TargetUri(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) && uri.Scheme == Uri.UriSchemeHttp
            && (uri.Host == "localhost" || System.Net.IPAddress.TryParse(uri.Host, out _))
            ? uri
            : null;

    private static async Task<int> RunAsync(RunSettings settings, string? output, CancellationToken ct)
    {
        await Console.Error.WriteLineAsync($"[{settings.ServerLabel} {settings.Mode} N={settings.Clients}{(settings.Stalled > 0 ? $"+{settings.Stalled} stalled" : "")} rep {settings.Rep}]");
        RunResult result;
        try
        {
            result = await new LoadRun(settings, Console.Error).ExecuteAsync(ct);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or JsonException or OperationCanceledException or HttpRequestException or System.ComponentModel.Win32Exception)
        {
            // The run could not happen at all (server did not start, bad scenario, stopped): still one line of JSON.
            result = Failed(settings, e is OperationCanceledException && !ct.IsCancellationRequested ? "the server did not answer /healthz in time" : e.Message);
        }
        string line = JsonSerializer.Serialize(result, BenchJsonContext.Default.RunResult);
        Console.Out.WriteLine(line);
        if (output is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            await File.AppendAllTextAsync(output, line + "\n", CancellationToken.None);
        }
        await Console.Error.WriteLineAsync(Summary(result));
        return result.Ok ? 0 : 1;
    }

    private static RunResult Failed(RunSettings settings, string error) => new()
    {
        Server = settings.ServerLabel,
        Mode = settings.Mode,
        Clients = settings.Clients,
        Stalled = settings.Stalled,
        Rep = settings.Rep,
        StartedAtUtc = DateTime.UtcNow,
        Failed = settings.Clients,
        Errors = [error],
        Latency = LatencySummary.Empty,
        Bench = new BenchStats(0, 0, 0),
    };

    private static string Summary(RunResult r) =>
        $"  {(r.Ok ? "ok" : "NOT OK")}: connected {r.Connected}, failed {r.Failed}, min {r.Latency.MinMs} ms, p50 {r.Latency.P50Ms} ms, p99 {r.Latency.P99Ms} ms, " +
        $"p99.9 {r.Latency.P999Ms} ms, max {r.Latency.MaxMs} ms, {r.DeliveriesPerSecond:F0} deliveries/s, gaps {r.Gaps}, dups {r.Duplicates}, missing {r.Missing}, " +
        $"server {r.ServerStats?.CpuPercent}% CPU, {r.ServerStats?.RssPerStreamKiB} KiB/stream, threads {r.ServerStats?.ThreadsIdle}->{r.ServerStats?.ThreadsPeak}; bench {r.Bench.CpuPercent}% CPU" +
        (r.Storm is { } s ? $"; storm: cut {s.CutByDrop}, caught up {s.CaughtUp}, p99 {s.CatchUpP99Ms} ms, max {s.CatchUpMaxMs} ms" : "") +
        (r.Soak is { } k ? $"; soak: {k.Reconnects} reconnects ({k.ReconnectsPerSecond}/s, {k.ReconnectFailures} failed) after retry {k.RetryMs} ms, catch-up p99 {k.CatchUpP99Ms} ms, max {k.CatchUpMaxMs} ms, {k.CutBeforeCaughtUp} cut before caught up, "
            + $"{k.AllocatedBytesPerReconnect} B alloc/reconnect, window GC {(r.ServerStats?.Gc is { Window.Count: 3 } gc ? string.Join("/", gc.Window) : "-")}" : "") +
        (r.StalledClients is { } st ? $"; stalled closed by server {st.ClosedByServer}/{st.Connected}" : "") +
        (r.Errors.Count > 0 ? $"; errors: {string.Join("; ", r.Errors)}" : "");
}
