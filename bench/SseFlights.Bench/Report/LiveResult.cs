using SseFlights.Bench.Live;
using SseFlights.Bench.Load;

namespace SseFlights.Bench.Report;

/// <summary>
/// One live run (mode <c>live</c>): two sseflights replicas reading one NATS JetStream log, <see cref="Clients"/>
/// streams on each, a publisher at <see cref="Rate"/> events a second; latency from each message's publish
/// to its arrival at every client, per replica. One JSON line per run in the raw results (live.jsonl).
/// </summary>
internal sealed record LiveResult
{
    public string Server { get; init; } = "sseflights";
    public string Mode { get; init; } = "live";

    /// <summary>The log (the live path) or the scenario (its scripted twin in the same layout); runs from before this field were all <see cref="LiveSource.Nats"/>.</summary>
    public LiveSource Source { get; init; } = LiveSource.Nats;
    public required int Clients { get; init; }
    public required double Rate { get; init; }
    public int Rep { get; init; }
    public DateTime StartedAtUtc { get; init; }

    /// <summary>Every client connected on both replicas, no gap or duplicate, every window event arrived, the publisher's sequences as expected.</summary>
    public bool Ok { get; init; }
    public IReadOnlyList<string> Errors { get; init; } = [];

    public double WindowSeconds { get; init; }
    public long Published { get; init; }
    public long EventsInWindow { get; init; }
    public required IReadOnlyList<LiveReplicaResult> Replicas { get; init; }
}

/// <summary>One replica of a live run: its clients, and publish-to-arrival latency of the window's events at each of them.</summary>
internal sealed record LiveReplicaResult(
    int Connected,
    int Failed,
    long Deliveries,
    long Missing,
    long Gaps,
    long Duplicates,
    LatencySummary Latency,
    double? CpuPercent,
    long? RssKiB);
