using System.Globalization;
using System.Text;
using SseFlights.Bench.Live;

namespace SseFlights.Bench.Report;

/// <summary>
/// The live runs' section of RESULTS.md: per N, latency on each of the two replicas (median over the
/// repetitions, with min–max), for the live path (publish to arrival through the log) and, where it was run,
/// its scripted twin in the same layout (the same events from the scenario, from each one's scheduled
/// moment); beside them, the steady run of sseflights at the same N on one node.
/// </summary>
internal static class LiveReport
{
    public static string Render(IReadOnlyList<LiveResult> runs, IReadOnlyList<Cell> cells)
    {
        if (runs.Count == 0) return "";
        var md = new StringBuilder();
        md.AppendLine();
        md.AppendLine("## Live data across replicas: publish to arrival through NATS JetStream");
        md.AppendLine();
        md.AppendLine("`bench/run.sh` mode `live` (`sseflights-bench live`): Debian's `nats-server -js`, two sseflights replicas with `--nats` on a new stream, "
            + "N streams on each replica, and a publisher (NATS.Net, in the bench) sending a custom event 10 times a second. Latency runs from the moment each message "
            + "is published to its arrival at each client, through the log and a replica. The scripted twin (`--source scripted`) is the same layout, the same "
            + "clients and the same events at the same rate, played by each replica from its scenario on one shared `--epoch`, with latency from each event's "
            + "scheduled moment: the two differ only in where the events come from. The last column is the steady run of sseflights at the same N on one node. "
            + "Each cell is the median over the repetitions, min–max in brackets.");
        md.AppendLine();
        md.AppendLine("| N per replica | source | runs ok | gaps | dups | missing | replica 1 p50 / p99 / max ms | replica 2 p50 / p99 / max ms | replica CPU % | one node, steady: p50 / p99 ms |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var n in runs.GroupBy(r => (r.Clients, r.Source)).OrderBy(g => g.Key.Clients).ThenBy(g => g.Key.Source))
        {
            var scripted = ResultsAggregator.Find(cells, "steady", n.Key.Clients, ResultsAggregator.Us);
            string Replica(int i) => string.Join(" / ", new Func<LiveReplicaResult, double?>[] { r => r.Latency.P50Ms, r => r.Latency.P99Ms, r => r.Latency.MaxMs }
                .Select(metric => Stat(n.Where(r => r.Replicas.Count > i).Select(r => metric(r.Replicas[i])))));
            string scriptedText = scripted is null ? "not run" : $"{Number(ResultsAggregator.Median(scripted, Metrics.P50))} / {Number(ResultsAggregator.Median(scripted, Metrics.P99))}";
            string source = n.Key.Source == LiveSource.Nats ? "live (NATS)" : "scripted twin";
            md.AppendLine(Inv($"| {n.Key.Clients:N0} | {source} | {n.Count(r => r.Ok)}/{n.Count()} | {n.Sum(r => r.Replicas.Sum(x => x.Gaps))} | {n.Sum(r => r.Replicas.Sum(x => x.Duplicates))} | {n.Sum(r => r.Replicas.Sum(x => x.Missing))} | ")
                + $"{Replica(0)} | {Replica(1)} | {Stat(n.SelectMany(r => r.Replicas.Select(x => x.CpuPercent)))} | {scriptedText} |");
        }

        md.AppendLine();
        var errors = runs.SelectMany(r => r.Errors.Select(e => Inv($"N={r.Clients} {r.Source} rep {r.Rep}: {e}"))).ToList();
        if (errors.Count > 0)
        {
            md.AppendLine("Problems seen in these runs:");
            md.AppendLine();
            errors.ForEach(e => md.AppendLine($"- {e}"));
            md.AppendLine();
        }

        return md.ToString();
    }

    private static string Stat(IEnumerable<double?> values)
    {
        var known = values.OfType<double>().Order().ToList();
        if (known.Count == 0) return "–";
        double median = known.Count % 2 == 1 ? known[known.Count / 2] : (known[(known.Count / 2) - 1] + known[known.Count / 2]) / 2;
        return known.Count == 1 ? Number(median) : $"{Number(median)} ({Number(known[0])}–{Number(known[^1])})";
    }

    private static string Number(double? value) => value switch
    {
        null => "–",
        >= 10 => value.Value.ToString("0.#", CultureInfo.InvariantCulture),
        _ => value.Value.ToString("0.##", CultureInfo.InvariantCulture),
    };

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
