using System.Globalization;

namespace SseFlights.Bench.Report;

/// <summary>Issue #14's targets and the earlier issues', kept as regression checks (issue #26's are
/// <see cref="LimitTargets"/>), checked against the cells' medians. A target whose cells are missing
/// (a quick run with other N, a peer that failed) is reported as not measured.</summary>
internal static class TargetChecks
{
    /// <summary>Issue #14 for one SseFlights build (<paramref name="ours"/>): the tail against the best peer, memory per stream, GC in the storm and the soak, CPU against the limit peer.</summary>
    public static IReadOnlyList<TargetCheck> Evaluate(IReadOnlyList<Cell> cells, string ours)
    {
        var checks = new List<TargetCheck>();
        foreach (int n in (int[])[2_000, 10_000])
        {
            Cell? us = ResultsAggregator.Find(cells, "steady", n, ours);
            checks.Add(AgainstBestPeer(cells, us, n, Metrics.P99, "p99", 0.5));
            checks.Add(AgainstBestPeer(cells, us, n, Metrics.P999, "p99.9", 0.75));
            checks.Add(AgainstBestPeer(cells, us, n, Metrics.Max, "max", 0.75));
        }

        Cell? us2k = ResultsAggregator.Find(cells, "steady", 2_000, ours);
        Cell? node2k = ResultsAggregator.Find(cells, "steady", 2_000, ResultsAggregator.Node);
        double? rss2k = ResultsAggregator.Median(us2k, Metrics.RssPerStream), nodeRss2k = ResultsAggregator.Median(node2k, Metrics.RssPerStream);
        checks.Add(rss2k is null || nodeRss2k is null
            ? NotMeasured("N=2,000: RSS per stream ≤ Node's")
            : new TargetCheck("N=2,000: RSS per stream ≤ Node's", Inv($"{rss2k:0.##} KiB (Node {nodeRss2k:0.##} KiB)"), rss2k <= nodeRss2k));
        checks.Add(AtMost("N=10,000: RSS per stream ≤ 16 KiB",
            ResultsAggregator.Median(ResultsAggregator.Find(cells, "steady", 10_000, ours), Metrics.RssPerStream), 16, "KiB"));

        Cell? usStorm = cells.Where(c => c.Mode == "storm" && c.Server == ours).MaxBy(c => c.Clients);
        checks.Add(Gen2FromBuffers($"Storm N={N(usStorm)}: zero gen-2 collections caused by resend or snapshot buffers, in any run (connect burst, drop, resends)",
            usStorm, Metrics.GcGen2Buffers, Metrics.GcGen2, "over the whole run"));
        double? catchUp = ResultsAggregator.Median(usStorm, Metrics.CatchUpMax);
        checks.Add(AtMost($"Storm N={N(usStorm)}: all caught up within 1 s", catchUp / 1000, 1, "s"));
        checks.AddRange(Soak(cells.Where(c => c.Mode == "soak" && c.Server == ours).MaxBy(c => c.Clients)));
        checks.Add(Close(ResultsAggregator.Find(cells, "close", 2_000, ours)));

        foreach ((string mode, int? n) in (IEnumerable<(string, int?)>)[("steady", 2_000), ("steady", 10_000), ("throughput", null)])
        {
            Cell? us = n is { } steadyN
                ? ResultsAggregator.Find(cells, mode, steadyN, ours)
                : cells.Where(c => c.Mode == mode && c.Server == ours).MaxBy(c => c.Clients);
            Cell? limit = us is null ? null : ResultsAggregator.Find(cells, mode, us.Clients, ResultsAggregator.Limit);
            string count = n?.ToString("N0", CultureInfo.InvariantCulture) ?? N(us);
            string name = $"{(mode == "steady" ? "" : "Throughput ")}N={count}: CPU per delivery ≤ 1.5× the limit peer's";
            double? ratio = ResultsAggregator.Divide(us, limit, Metrics.CpuPerMillion);
            checks.Add(ratio is null
                ? NotMeasured(name)
                : new TargetCheck(name, Inv($"{ratio:0.##}× ({ResultsAggregator.Median(us, Metrics.CpuPerMillion):0.##} against {ResultsAggregator.Median(limit, Metrics.CpuPerMillion):0.##} CPU s / M deliveries)"), ratio <= 1.5));
        }
        return checks;
    }

    /// <summary>Issue #21: the close reaches 2,000 streams about as fast as an ordinary event of the same run.</summary>
    private static TargetCheck Close(Cell? close)
    {
        const string Name = "Close N=2,000: the close's p50 ≤ 1.5× the same run's events' p50";
        double? ratio = ResultsAggregator.Median(close, Metrics.CloseOverOrdinary);
        return ratio is null
            ? NotMeasured(Name)
            : new TargetCheck(Name, Inv($"{ratio:0.##}× (close p50 {ResultsAggregator.Median(close, Metrics.CloseP50):0.#} ms, max {ResultsAggregator.Median(close, Metrics.CloseMax):0.#} ms; events p50 {ResultsAggregator.Median(close, Metrics.P50):0.#} ms)"), ratio <= 1.5);
    }

    /// <summary>
    /// Gen-2 collections whose runtime reason is a large-object-heap allocation (what big resend or
    /// snapshot buffers would cause), in any run, not the median; the others (promotion) are shown beside.
    /// </summary>
    private static TargetCheck Gen2FromBuffers(string name, Cell? cell, string buffersMetric, string allMetric, string span)
    {
        if (cell is null || !cell.Metrics.TryGetValue(buffersMetric, out Stat? buffers))
        {
            return NotMeasured(name);
        }

        double all = cell.Metrics.TryGetValue(allMetric, out Stat? gen2) ? gen2.Max : double.NaN;
        return new TargetCheck(name, Inv($"{buffers.Max:0} caused by buffers; {all:0} gen-2 in all {span}, the rest promotion (the most of any run in each figure)"), buffers.Max == 0);
    }

    /// <summary>The reconnect-heavy soak: no gen-2 collection caused by buffers in its window, in any run; every
    /// reconnect caught up within 1 s (slowest of any run), none cut again before it had caught up.</summary>
    private static IEnumerable<TargetCheck> Soak(Cell? soak)
    {
        double reconnects = soak?.Metrics.TryGetValue(Metrics.SoakReconnects, out Stat? r) == true ? r.Median : 0;
        double perReconnect = soak?.Metrics.TryGetValue(Metrics.AllocatedPerReconnect, out Stat? a) == true ? a.Median : double.NaN;
        // A gen-2 collection counts in gen 0 too: gen 0 is every collection.
        double all = soak?.Metrics.TryGetValue(Metrics.GcWindowGen0, out Stat? g0) == true ? g0.Max : double.NaN;
        yield return Gen2FromBuffers($"Reconnect-heavy soak N={N(soak)}: zero gen-2 collections caused by resend or snapshot buffers",
            soak, Metrics.GcWindowGen2Buffers, Metrics.GcWindowGen2,
            Inv($"in the soak window (of {all:0} collections), {reconnects:N0} reconnects, {perReconnect:N0} B allocated per reconnect"));

        string caughtUp = $"Reconnect-heavy soak N={N(soak)}: every reconnect caught up within 1 s";
        if (soak is null || !soak.Metrics.TryGetValue(Metrics.SoakCatchUpMax, out Stat? max))
        {
            yield return NotMeasured(caughtUp);
            yield break;
        }
        double cut = soak.Metrics.TryGetValue(Metrics.SoakCutBeforeCaughtUp, out Stat? c) ? c.Max : 0;
        double p99 = ResultsAggregator.Median(soak, Metrics.SoakCatchUpP99) ?? double.NaN;
        yield return new TargetCheck(caughtUp,
            Inv($"slowest {max.Max / 1000:0.###} s, p99 {p99:0.#} ms{(cut > 0 ? $"; {cut:0} cut by the next drop before they had caught up (most in one run)" : "")}"),
            max.Max <= 1000 && cut == 0);
    }

    /// <summary>SseFlights' median of <paramref name="metric"/> over the best peer's, at most <paramref name="limit"/>.</summary>
    private static TargetCheck AgainstBestPeer(IReadOnlyList<Cell> cells, Cell? us, int n, string metric, string label, double limit)
    {
        string name = Inv($"N={n:N0}: {label} ≤ {limit}× the best peer's");
        Cell? best = ResultsAggregator.BestPeer(cells, "steady", n, metric);
        double? ratio = ResultsAggregator.Divide(us, best, metric);
        if (ratio is null || best is null) return NotMeasured(name);
        return new TargetCheck(name,
            Inv($"{ratio:0.##}× ({ResultsAggregator.Median(us, metric):0.##} ms against {best.Server}'s {ResultsAggregator.Median(best, metric):0.##} ms)"),
            ratio <= limit);
    }

    internal static TargetCheck NotMeasured(string name) => new(name, "not measured", null);

    /// <summary>The targets of the earlier issues, kept as regression checks.</summary>
    public static IReadOnlyList<TargetCheck> EvaluateEarlier(IReadOnlyList<Cell> cells)
    {
        var checks = new List<TargetCheck>();
        Cell? us10k = ResultsAggregator.Find(cells, "steady", 10_000, ResultsAggregator.Us);
        double? p99At10k = ResultsAggregator.Median(us10k, Metrics.P99);
        checks.Add(AtMost("N=10,000: p99 ≤ 150 ms", p99At10k, 150, "ms"));
        double? node10k = ResultsAggregator.Median(ResultsAggregator.Find(cells, "steady", 10_000, ResultsAggregator.Node), Metrics.P99);
        double? kestrel10k = ResultsAggregator.Median(ResultsAggregator.Find(cells, "steady", 10_000, ResultsAggregator.Kestrel), Metrics.P99);
        checks.Add(AtMost("N=10,000: p99 ≤ ½ of Node's", Over(p99At10k, node10k), 0.5, "×"));
        checks.Add(AtMost("N=10,000: p99 ≤ ½ of Kestrel's", Over(p99At10k, kestrel10k), 0.5, "×"));
        checks.Add(AtMost("N=5,000: p99 ≤ 100 ms",
            ResultsAggregator.Median(ResultsAggregator.Find(cells, "steady", 5_000, ResultsAggregator.Us), Metrics.P99), 100, "ms"));

        Cell? usThroughput = cells.Where(c => c.Mode == "throughput" && c.Server == ResultsAggregator.Us).MaxBy(c => c.Clients);
        Cell? nodeThroughput = usThroughput is null ? null : ResultsAggregator.Find(cells, "throughput", usThroughput.Clients, ResultsAggregator.Node);
        checks.Add(AtLeast($"Throughput N={N(usThroughput)}: deliveries/s ≥ 5× Node's",
            Over(ResultsAggregator.Median(usThroughput, Metrics.DeliveriesPerSecond), ResultsAggregator.Median(nodeThroughput, Metrics.DeliveriesPerSecond)), 5, "×"));

        checks.Add(Below($"Throughput N={N(usThroughput)}: < 10 bytes allocated per delivery",
            ResultsAggregator.Median(usThroughput, Metrics.AllocatedPerDelivery), 10, "B"));

        checks.Add(AtMost("N=10,000: RSS ≤ 20 KiB per idle stream", ResultsAggregator.Median(us10k, Metrics.RssPerStream), 20, "KiB"));

        Cell? usStalled = cells.Where(c => c.Mode == "stalled" && c.Server == ResultsAggregator.Us).MaxBy(c => c.Clients);
        // Against the same scenario and N without stalled clients (or, failing that, the steady run at that N).
        Cell? usBaseline = usStalled is null ? null
            : ResultsAggregator.Find(cells, "stalled-baseline", usStalled.Clients, ResultsAggregator.Us)
              ?? ResultsAggregator.Find(cells, "steady", usStalled.Clients, ResultsAggregator.Us);
        checks.Add(Below($"Stalled ({usStalled?.Stalled} among {N(usStalled)}): healthy p99 < 1.5× the {usBaseline?.Mode} N={N(usStalled)} p99",
            Over(ResultsAggregator.Median(usStalled, Metrics.P99), ResultsAggregator.Median(usBaseline, Metrics.P99)), 1.5, "×"));
        checks.Add(Below($"Stalled ({usStalled?.Stalled} among {N(usStalled)}): peak threads < 2× the {usBaseline?.Mode} N={N(usStalled)} peak",
            Over(ResultsAggregator.Median(usStalled, Metrics.ThreadsPeak), ResultsAggregator.Median(usBaseline, Metrics.ThreadsPeak)), 2, "×"));

        Cell? usStorm = cells.Where(c => c.Mode == "storm" && c.Server == ResultsAggregator.Us).MaxBy(c => c.Clients);
        double? catchUp = ResultsAggregator.Median(usStorm, Metrics.CatchUpMax);
        checks.Add(AtMost($"Storm N={N(usStorm)}: all caught up within 3 s", catchUp / 1000, 3, "s"));
        return checks;
    }

    internal static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    internal static string N(Cell? cell) => cell?.Clients.ToString("N0", CultureInfo.InvariantCulture) ?? "?";

    private static double? Over(double? a, double? b) => a is null || b is null || b == 0 ? null : a / b;

    private static TargetCheck AtMost(string name, double? value, double limit, string unit) => Check(name, value, unit, value <= limit);

    private static TargetCheck AtLeast(string name, double? value, double limit, string unit) => Check(name, value, unit, value >= limit);

    private static TargetCheck Below(string name, double? value, double limit, string unit) => Check(name, value, unit, value < limit);

    private static TargetCheck Check(string name, double? value, string unit, bool pass) =>
        value is null
            ? new TargetCheck(name, "not measured", null)
            : new TargetCheck(name, double.IsInfinity(value.Value) ? "not all caught up" : $"{value.Value.ToString("0.##", CultureInfo.InvariantCulture)} {unit}", pass);
}
