using System.Diagnostics.Metrics;
using System.Net;
using Serilog;
using SseFlights.Cli;
using SseFlights.Delivery;
using SseFlights.Http;
using SseFlights.Http.Control;
using SseFlights.Http.Listener;
using SseFlights.Hub;
using SseFlights.Kit;
using SseFlights.Metrics;
using SseFlights.Nats;
using SseFlights.Scenario;
using SseFlights.Sources;

namespace SseFlights;

/// <summary>The composition root's builders: every object of a server (and of the kit) made with new, in one place; the tests build theirs here too.</summary>
internal static class Composition
{
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
        var liveControl = live is null ? null : new LiveControl(hub, live.Timeline, log);
        var control = options.Control
            ? new ControlEndpoints(hub, player, scenario, new ControlAuth(options.ControlToken!), log, TestControls(faults!, requests, player, holds, liveControl, log), liveControl)
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

    /// <summary>
    /// The control actions for testing clients: faults, the request log, the stepping clock and held streams. With a
    /// live log (<paramref name="live"/>) the clock is the log's: advance is refused like pause, resume and restart.
    /// </summary>
    private static Dictionary<string, Func<HttpListenerContext, Task>> TestControls(ControlFaults faults, RequestLog requests, ScenarioSource player, StreamHolds holds, LiveControl? live, ILogger log)
    {
        var steps = new StepEndpoints(player, holds, log);
        return new()
        {
            ["faults"] = new FaultsEndpoint(faults, log).HandleAsync,
            ["requests"] = new RequestLogEndpoint(requests, log).HandleAsync,
            ["advance"] = live is null ? steps.AdvanceAsync : context => live.TimelineOwnedAsync(context.Response, "advance"),
            ["release"] = steps.ReleaseAsync,
        };
    }
}
