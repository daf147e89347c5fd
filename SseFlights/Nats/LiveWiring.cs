using Serilog;
using SseFlights.Cli;
using SseFlights.Hub;
using SseFlights.Scenario;
using SseFlights.Sources;

namespace SseFlights.Nats;

/// <summary>
/// What a server started with <c>--nats</c> is given instead of the scenario's clock, each part as a
/// type of its own layer: the source that feeds the hub, its health, the timeline the control API
/// appends to, the older events a resume reads back, and the hold horizon for the hub.
/// </summary>
internal sealed record LiveParts(IEventSource Source, ISourceHealth Health, ILiveTimeline Timeline, IOlderEventSource OlderEvents, Func<long> HoldHorizon);

/// <summary>
/// Builds the live source and its parts. Program calls it only with <c>--nats</c>, and nothing in its
/// signature is a NATS client type, so a server started without <c>--nats</c> never loads the client.
/// </summary>
internal static class LiveWiring
{
    /// <summary>Sequences of refused messages remembered for resends from the log (a few MB at most).</summary>
    private const int SkippedCapacity = 100_000;

    /// <summary>Outcomes kept for control requests waiting for their own entry: far more than can be in flight.</summary>
    private const int OutcomesKept = 4_096;

    public static LiveParts Build(ServerOptions options, ScenarioDefinition scenario, EventHub hub, ILogObserver observer, TimeProvider time, ILogger log)
    {
        var natsOptions = new NatsLogOptions(options.NatsUrl!, options.NatsStream, options.NatsCredsFile, options.NatsMaxMessages);
        var skipped = new SkippedSequences(SkippedCapacity);
        var outcomes = new AppliedOutcomes(OutcomesKept);
        var applier = new LogApplier(hub, skipped, outcomes, observer, log);
        var source = new LiveSource(natsOptions, options.NatsSnapshotEvery, scenario, hub, applier, skipped, time, log);
        return new LiveParts(
            source,
            source,
            new LiveAppender(source, outcomes, natsOptions, time, log),
            new LogResend(hub, scenario, source, skipped, log),
            source.HoldHorizon);
    }
}
