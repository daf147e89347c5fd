using System.Globalization;

namespace SseFlights.Bench.Report;

/// <summary>The issue's targets, checked against the cells' medians. A target whose cells are
/// missing (a quick run with other N) is reported as not measured.</summary>
internal static class TargetChecks
{
    public static IReadOnlyList<TargetCheck> Evaluate(IReadOnlyList<Cell> cells)
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

    private static string N(Cell? cell) => cell?.Clients.ToString("N0", CultureInfo.InvariantCulture) ?? "?";

    private static double? Over(double? a, double? b) => a is null || b is null || b == 0 ? null : a / b;

    private static TargetCheck AtMost(string name, double? value, double limit, string unit) => Check(name, value, unit, value <= limit);

    private static TargetCheck AtLeast(string name, double? value, double limit, string unit) => Check(name, value, unit, value >= limit);

    private static TargetCheck Below(string name, double? value, double limit, string unit) => Check(name, value, unit, value < limit);

    private static TargetCheck Check(string name, double? value, string unit, bool pass) =>
        value is null
            ? new TargetCheck(name, "not measured", null)
            : new TargetCheck(name, double.IsInfinity(value.Value) ? "not all caught up" : $"{value.Value.ToString("0.##", CultureInfo.InvariantCulture)} {unit}", pass);
}
