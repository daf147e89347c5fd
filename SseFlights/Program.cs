using System.CommandLine;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using Serilog;
using SseFlights.Delivery;
using SseFlights.Http.Listener;
using SseFlights.Hub;
using SseFlights.Sources;
using SseFlights.Cli;
using SseFlights.Http;
using SseFlights.Http.Control;
using SseFlights.Kit;
using SseFlights.Metrics;
using SseFlights.Nats;
using SseFlights.Record;
using SseFlights.Scenario;

namespace SseFlights;

/// <summary>The composition root: parses the command line, builds every object with new, runs, and shuts down.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var commandLine = new CommandLine(RunServerAsync, Validate, RecordAsync, PublishAsync);
        commandLine.Root.Subcommands.Add(new KitArguments().Command(RunKitAsync));
        var parsed = commandLine.Root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // One line, no usage dump: the message says what would be right.
            Console.Error.WriteLine($"sseflights: {string.Join("; ", parsed.Errors.Select(e => e.Message))} (see --help)");
            return ExitCodes.Usage;
        }

        // We take SIGINT and SIGTERM ourselves (below) so the server's own shutdown always runs.
        return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }).ConfigureAwait(false);
    }

    /// <summary>
    /// Builds the whole server from validated pieces; the tests build theirs here too. A kit case's run passes
    /// its stream's path and the request log it reads back (<see cref="KitRuns"/>), and listens nowhere.
    /// </summary>
    public static SseFlightsServer BuildServer(
        ServerOptions options, ScenarioDefinition scenario, IFileSource files, TimeProvider time, ILogger log, string? scenarioSha256 = null, ListenerInternals? internals = null,
        string streamPath = "/events", RequestLog? requests = null)
    {
        internals ??= ListenerInternals.Probe(WritePath.Direct);

        // One meter per server (tests run several in one process); the registry first, so it sees every instrument.
        var meter = new Meter(ServerMetrics.MeterName);
        var registry = new MetricsRegistry(meter);
        var metrics = new ServerMetrics(meter, time);
        var hub = new EventHub(scenario, options.History, options.MaxClients, metrics, log);
        var player = new ScenarioSource(scenario, hub, options.Speed, time, log, waitForRestart: options.Control, epoch: options.Epoch, standStill: options.Step);

        // With --nats the events come from the shared log; the scenario's clock is built but never run
        // (/healthz reads its start), and the control API appends to the log instead of the hub.
        var live = options.NatsUrl is null ? null : LiveWiring.Build(options, scenario, hub, metrics, time, log);
        if (live is not null)
        {
            // A Last-Event-ID another replica sent a moment before this one read it is held, not a snapshot.
            hub.HoldHorizon = live.HoldHorizon;
        }
        else if (options.Epoch is not null)
        {
            // Replicas: an id another replica issued a moment ago (its clock a little ahead) is held, not a snapshot.
            var skew = TimeSpan.FromSeconds(options.SkewSeconds);
            hub.HoldHorizon = () => player.IdReachedWithin(skew);
        }

        var faults = options.Control ? new ControlFaults() : null;
        requests ??= new RequestLog(time, options.Control ? RequestLog.DefaultCapacity : 0);
        var holds = new StreamHolds();
        var control = options.Control
            ? new ControlEndpoints(hub, player, scenario, new ControlAuth(options.ControlToken!), log, TestControls(faults!, requests, player, holds, log), live is null ? null : new LiveControl(hub, live.Timeline, log))
            : null;
        var heartbeat = TimeSpan.FromSeconds(options.HeartbeatSeconds);
        var monitor = new ClientMonitor(hub.Clients, heartbeat, time);
        var sessions = new StreamSessions();
        var cors = new CorsPolicy([.. options.CorsOrigins, .. scenario.CorsOrigins]);
        var stream = new EventStreamEndpoint(
            hub, sessions, internals, StreamLimits.For(heartbeat), options.RetryMilliseconds, scenario.Wire, new ResponseRules(scenario.Responses), faults, holds, time, metrics, log, live?.OlderEvents);
        var router = new Router(
            new EventsResource(stream, scenario, cors, requests),
            new ApiEndpoints(hub, scenario, player, internals.WritePath, scenarioSha256, GcWatch.Process, live?.Health),
            new StaticFileEndpoint(files),
            cors,
            new MetricsEndpoint(registry),
            control,
            streamPath);
        IReadOnlyList<string> prefixes = streamPath == "/events" ? ListenerPrefixes.For(options.Host, options.Port) : [];
        return new SseFlightsServer(prefixes, router, hub, sessions, live?.Source ?? player, monitor, internals, meter, registry, time, log);
    }

    /// <summary>
    /// Builds <c>sseflights kit</c>: every case of <paramref name="cases"/> at once, each run of a case a board server
    /// of its own (the defaults, listening nowhere) made at the run's first request; the tests build theirs here too.
    /// </summary>
    public static KitServer BuildKit(KitOptions options, IReadOnlyList<KitCase> cases, TimeProvider time, ILogger log)
    {
        var internals = ListenerInternals.Probe(WritePath.Direct);
        // A run's server is handed only its stream's requests, so it never serves these files itself.
        var files = new EmbeddedFileSource();
        var runs = new KitRuns(
            (kitCase, run, requests) => BuildServer(ServerOptions.Defaults, kitCase.ForRun(run), files, time, log, null, internals, kitCase.StreamPath, requests),
            time,
            log);
        var router = new KitRouter(cases, runs, new StaticFileEndpoint(files));
        return new KitServer(ListenerPrefixes.For(options.Host, options.Port), router, runs, internals, time, log);
    }

    private static async Task<int> RunKitAsync(KitOptions options, CancellationToken cancellationToken)
    {
        Log.Logger = Logging.Create(ServerOptions.Defaults with { Port = options.Port, Host = options.Host });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        try
        {
            var cases = KitPack.LoadBundled();
            await using var kit = BuildKit(options, cases, TimeProvider.System, Log.Logger);
            kit.Start();
            if (ListenerPrefixes.IsAllInterfaces(options.Host))
            {
                Log.Warning("Listening on every interface (--host {Host}): the kit is now reachable from the network", options.Host);
            }

            Log.Information("SseFlights is live: open {KitUrl} to grade a browser's EventSource against {Cases} cases", ListenerPrefixes.BaseUrl(options.Host, options.Port) + "kit/", cases.Count);
            await kit.RunAsync(stop.Token).ConfigureAwait(false);
            Log.Information("Stopped cleanly");
            return ExitCodes.Ok;
        }
        catch (ServerStartException ex)
        {
            await Log.CloseAndFlushAsync().ConfigureAwait(false);
            Console.Error.WriteLine($"sseflights: {ex.Message}");
            return ExitCodes.Failure;
        }
        finally
        {
            await Log.CloseAndFlushAsync().ConfigureAwait(false);
        }

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    /// <summary>The control actions for testing clients: faults, the request log, the stepping clock and held streams.</summary>
    private static Dictionary<string, Func<HttpListenerContext, Task>> TestControls(ControlFaults faults, RequestLog requests, ScenarioSource player, StreamHolds holds, ILogger log)
    {
        var steps = new StepEndpoints(player, holds, log);
        return new()
        {
            ["faults"] = new FaultsEndpoint(faults, log).HandleAsync,
            ["requests"] = new RequestLogEndpoint(requests, log).HandleAsync,
            ["advance"] = steps.AdvanceAsync,
            ["release"] = steps.ReleaseAsync,
        };
    }

    private static async Task<int> RunServerAsync(ServerOptions options, CancellationToken cancellationToken)
    {
        var (writePath, writePathError) = WritePaths.FromEnvironment(Environment.GetEnvironmentVariable(WritePaths.Variable));
        if (writePathError is not null)
        {
            Console.Error.WriteLine($"sseflights: {writePathError}");
            return ExitCodes.Usage;
        }

        ScenarioDefinition scenario;
        IFileSource files;
        string scenarioSha256;
        try
        {
            scenario = options.ScenarioPath is null ? ScenarioLoader.LoadBundled() : ScenarioLoader.LoadFile(options.ScenarioPath);
            scenarioSha256 = ScenarioFingerprint.Sha256(options.ScenarioPath);
            files = OpenWebRoot(options.WwwRoot);
        }
        catch (ScenarioException ex)
        {
            Console.Error.WriteLine(ex.Errors.Count == 1
                ? $"sseflights: {ex.Errors[0]}"
                : $"sseflights: the scenario has {ex.Errors.Count} errors:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", ex.Errors)}");
            return ExitCodes.Failure;
        }
        catch (Exception ex) when (ex is DirectoryNotFoundException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"sseflights: {ex.Message}");
            return ExitCodes.Failure;
        }

        // Replicas must stay identical, and a control call changes one of them only.
        if (options.Control && options.Epoch is not null)
        {
            Console.Error.WriteLine("sseflights: --control cannot be used with --epoch: replicas must play the same frames, and a control call would change only this one (see --help)");
            return ExitCodes.Usage;
        }

        if (options.Control)
        {
            options = WithControlToken(options);
        }

        Log.Logger = Logging.Create(options);
        var lifecycle = Log.ForContext(Serilog.Core.Constants.SourceContextPropertyName, Logging.Lifecycle);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stopNow = new CancellationTokenSource();
        int signals = 0;
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        try
        {
            var internals = ListenerInternals.Probe(writePath);
            await using var server = BuildServer(options, scenario, files, TimeProvider.System, Log.Logger, scenarioSha256, internals);
            server.Start();
            internals.Describe(Log.Logger);

            if (ListenerPrefixes.IsAllInterfaces(options.Host))
            {
                Log.Warning("Listening on every interface (--host {Host}): the board is now reachable from the network", options.Host);
            }

            string url = ListenerPrefixes.BaseUrl(options.Host, options.Port);
            if (options.NatsUrl is { } nats)
            {
                lifecycle.Information(
                    "SseFlights is live: open {PageUrl} for the board, stream {StreamUrl}; events from the stream {NatsStream} at {NatsUrl}; scenario {Scenario}: {Flights} flights",
                    url, url + "events", options.NatsStream, NatsUrls.Redact(nats), scenario.Name, scenario.Flights.Count);
            }
            else
            {
                lifecycle.Information(
                    "SseFlights is live: open {PageUrl} for the board, stream {StreamUrl}; scenario {Scenario}: {Flights} flights, {Entries} entries, {Length}",
                    url, url + "events", scenario.Name, scenario.Flights.Count, scenario.Timeline.Count, Describe(scenario));
            }
            if (await server.RunAsync(stop.Token, TimeSpan.FromSeconds(options.DrainSeconds), stopNow.Token).ConfigureAwait(false) == ServerExit.ClockFailed)
            {
                lifecycle.Error("Stopped after the scenario clock failed; exiting with {ExitCode}", ExitCodes.Failure);
                return ExitCodes.Failure;
            }

            lifecycle.Information("Stopped cleanly");
            return ExitCodes.Ok;
        }
        catch (ServerStartException ex)
        {
            Log.CloseAndFlush();
            Console.Error.WriteLine($"sseflights: {ex.Message}");
            return ExitCodes.Failure;
        }
        catch (Exception ex)
        {
            Log.Fatal(ex, "The server stopped unexpectedly");
            return ExitCodes.Failure;
        }
        finally
        {
            await Log.CloseAndFlushAsync().ConfigureAwait(false);
        }

        void Stop(PosixSignalContext context)
        {
            // Keep the process alive; the cancelled token runs the orderly shutdown and Main returns 0.
            // A second signal during a --drain ends the streams still open at once.
            context.Cancel = true;
            (Interlocked.Increment(ref signals) == 1 ? stop : stopNow).Cancel();
        }
    }

    private static async Task<int> RecordAsync(RecordOptions options, CancellationToken cancellationToken)
    {
        // Ctrl+C and SIGTERM stop the recording, and what was recorded is still written.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var http = RecordCommand.CreateHttpClient();
        return await new RecordCommand(http, TimeProvider.System, Console.Out, Console.Error).RunAsync(options, stop.Token).ConfigureAwait(false);

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    private static async Task<int> PublishAsync(PublishOptions options, CancellationToken cancellationToken)
    {
        // Ctrl+C and SIGTERM stop the feed cleanly (exit 0); what was published stays published.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        await using var log = Logging.Create(ServerOptions.Defaults);
        return await new PublishCommand(TimeProvider.System, Console.Error, log).RunAsync(options, stop.Token).ConfigureAwait(false);

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    /// <summary>The token from --control-token, else the environment, else a random one shown once on stderr.</summary>
    private static ServerOptions WithControlToken(ServerOptions options)
    {
        string? token = options.ControlToken ?? Environment.GetEnvironmentVariable("SSEFLIGHTS_CONTROL_TOKEN");
        if (string.IsNullOrWhiteSpace(token))
        {
            token = ControlAuth.NewToken();
            Console.Error.WriteLine($"sseflights: control API token: {token}");
        }

        return options with { ControlToken = token.Trim() };
    }

    private static IFileSource OpenWebRoot(string? path)
    {
        if (path is null)
        {
            return new EmbeddedFileSource();
        }

        return Directory.Exists(path)
            ? new DiskFileSource(path)
            : throw new DirectoryNotFoundException($"--wwwroot: the folder '{path}' does not exist");
    }

    private static int Validate(string path)
    {
        try
        {
            var scenario = ScenarioLoader.LoadFile(path);
            string custom = scenario.CustomEvents.Count == 0 ? "none" : string.Join(", ", scenario.CustomEvents);
            Console.WriteLine($"{path}: OK");
            Console.WriteLine($"  name:          {scenario.Name}");
            Console.WriteLine($"  flights:       {scenario.Flights.Count}");
            int drops = scenario.DropCount;
            int live = scenario.Timeline.Count - scenario.EventCount - drops;
            Console.WriteLine($"  entries:       {scenario.Timeline.Count} ({scenario.EventCount} events, {drops} {(drops == 1 ? "drop" : "drops")}{(live == 0 ? "" : $", {live} live-only frames")})");
            Console.WriteLine($"  length:        {Describe(scenario)}");
            Console.WriteLine($"  custom events: {custom}");
            return ExitCodes.Ok;
        }
        catch (ScenarioException ex)
        {
            Console.Error.WriteLine($"{path}: {ex.Errors.Count} {(ex.Errors.Count == 1 ? "error" : "errors")}");
            foreach (string error in ex.Errors)
            {
                Console.Error.WriteLine($"  {error}");
            }

            return ExitCodes.Failure;
        }
    }

    private static string Describe(ScenarioDefinition scenario) => scenario.Repeat
        ? string.Create(CultureInfo.InvariantCulture, $"{scenario.Cycle:0.###} s cycle, repeating")
        : string.Create(CultureInfo.InvariantCulture, $"{scenario.Length:0.###} s, played once");
}
