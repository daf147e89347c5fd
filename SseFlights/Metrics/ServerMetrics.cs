using System.Diagnostics.Metrics;
using SseFlights.Delivery;
using SseFlights.Hub;
using SseFlights.Sources;

namespace SseFlights.Metrics;

/// <summary>
/// The server's instruments on the <c>SseFlights</c> meter, and the few calls that record them.
/// Tags are built once here, so recording never allocates; per-delivery counts are recorded once
/// per coalesced write, not per frame.
/// </summary>
internal sealed class ServerMetrics : IHubObserver, IDeliveryObserver, ILogObserver
{
    public const string MeterName = "SseFlights";

    // A pre-built tag per value, so Add(1, tag) boxes and allocates nothing.
    private static readonly KeyValuePair<string, object?> Snapshot = Tag("outcome", "snapshot"), Resume = Tag("outcome", "resume"),
        Live = Tag("outcome", "live"), NoContent = Tag("outcome", "204"), Refused = Tag("outcome", "503"), Unanswered = Tag("outcome", "shutdown");

    private static readonly KeyValuePair<string, object?> Dead = Tag("reason", "dead"), Slow = Tag("reason", "slow"),
        Stalled = Tag("reason", "stalled"), Drop = Tag("reason", "drop"), Shutdown = Tag("reason", "shutdown"),
        Failure = Tag("reason", "failure"), Fault = Tag("reason", "fault");

    private static readonly double[] LatencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private long _clients;
    private readonly Counter<long> _opened;
    private readonly Counter<long> _published;
    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _written;
    private readonly Counter<long> _resends;
    private readonly Counter<long> _historyMisses;
    private readonly Counter<long> _cut;
    private readonly Histogram<double> _latency;
    private readonly Counter<long> _logRefused;
    private readonly double _ticksPerSecond;

    public ServerMetrics(Meter meter, TimeProvider time)
    {
        _ticksPerSecond = time.TimestampFrequency;
        // Observed rather than added to, so a tool that attaches later (dotnet-counters) still reads the level.
        meter.CreateObservableUpDownCounter("sseflights.clients", () => Interlocked.Read(ref _clients), "{stream}", "Event streams open now");
        _opened = meter.CreateCounter<long>("sseflights.streams.opened", "{stream}", "Requests for /events, by how they were answered: snapshot, resume, live (200), 204 (closed), 503 (refused) or shutdown (closed unanswered)");
        _published = meter.CreateCounter<long>("sseflights.events.published", "{event}", "Events given an id and offered to every stream (timeline events and each repeat cycle's snapshot)");
        _deliveries = meter.CreateCounter<long>("sseflights.deliveries", "{event}", "Events written to a client (live, resent and snapshots; heartbeats not counted)");
        _written = meter.CreateCounter<long>("sseflights.written", "By", "Event-stream bytes written to clients (without HTTP chunk framing)");
        _resends = meter.CreateCounter<long>("sseflights.resends", "{event}", "Events resent from the history to streams resuming after Last-Event-ID");
        _historyMisses = meter.CreateCounter<long>("sseflights.history.misses", "{stream}", "Streams that asked to resume from an id the history no longer holds, and got a snapshot instead");
        _cut = meter.CreateCounter<long>("sseflights.clients.cut", "{stream}", "Streams the server ended before the board closed, by reason: slow (queue full), stalled (write stuck), dead (client gone), drop (the scenario's drop), shutdown, failure (the scenario clock failed), fault (a transport fault reset or truncated it)");
        _latency = meter.CreateHistogram<double>(
            "sseflights.delivery.latency", "s", "From an event's scheduled moment to the completed write that carried it to a client (one observation per write, for its oldest live event)",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _logRefused = meter.CreateCounter<long>("sseflights.log.refused", "{message}", "With --nats: messages of the log this replica refused (malformed, unknown, or not applicable to the board at that point); each became no event");
        _logRefused.Add(0);

        // Zero for every tag value at once, so every series exists from the first scrape (a rate over
        // a series that appears only with its first count misses that count).
        foreach (var outcome in (KeyValuePair<string, object?>[])[Snapshot, Resume, Live, NoContent, Refused, Unanswered])
        {
            _opened.Add(0, outcome);
        }

        foreach (var reason in (KeyValuePair<string, object?>[])[Dead, Slow, Stalled, Drop, Shutdown, Failure, Fault])
        {
            _cut.Add(0, reason);
        }
    }

    /// <summary>A request for /events was answered as <paramref name="plan"/> says; a 200 opens a stream.</summary>
    public void Joined(JoinPlan plan)
    {
        _opened.Add(1, plan.Kind switch
        {
            JoinKind.Snapshot => Snapshot,
            JoinKind.Resume => Resume,
            JoinKind.Live => Live,
            JoinKind.NoContent => NoContent,
            JoinKind.Refused => Refused,
            JoinKind.ShuttingDown => Unanswered,
            _ => throw new ArgumentOutOfRangeException(nameof(plan), plan.Kind, null),
        });
        if (!plan.IsStream)
        {
            return;
        }

        Interlocked.Increment(ref _clients);
        if (plan.Kind == JoinKind.Resume)
        {
            _resends.Add(plan.Frames.Count);
        }

        if (plan.HistoryTooShort)
        {
            _historyMisses.Add(1);
        }
    }

    /// <summary>A stream opened by <see cref="StreamOpened"/> has ended; anything but the board's close is a cut.</summary>
    public void StreamEnded(StreamEndReason reason)
    {
        Interlocked.Decrement(ref _clients);
        var tag = reason switch
        {
            StreamEndReason.Dead => Dead,
            StreamEndReason.Slow => Slow,
            StreamEndReason.Stalled => Stalled,
            StreamEndReason.Drop => Drop,
            StreamEndReason.Shutdown => Shutdown,
            StreamEndReason.Failure => Failure,
            StreamEndReason.Fault => Fault,
            StreamEndReason.Closed => default,
            _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
        };
        if (tag.Key is not null)
        {
            _cut.Add(1, tag);
        }
    }

    public void Published() => _published.Add(1);

    public void MessageRefused() => _logRefused.Add(1);

    /// <summary>
    /// One write to a client completed at <paramref name="now"/>, carrying <paramref name="events"/>
    /// events in <paramref name="bytes"/> bytes; <paramref name="oldestDue"/> is the scheduled
    /// timestamp of its oldest live event, or 0 if it carried none.
    /// </summary>
    public void Written(int events, int bytes, long oldestDue, long now)
    {
        if (events > 0)
        {
            _deliveries.Add(events);
        }

        _written.Add(bytes);
        if (oldestDue != 0)
        {
            _latency.Record(Math.Max(0, now - oldestDue) / _ticksPerSecond);
        }
    }

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);
}
