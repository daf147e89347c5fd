namespace SseFlights.Bench.Report;

/// <summary>Groups run results into cells (mode × N × server), takes medians and ranges, computes
/// SseFlights' ratios to each peer, and checks the targets.</summary>
internal static class ResultsAggregator
{
    public const string Us = "sseflights";
    public const string UsAot = "sseflights-aot";
    public const string Node = "node";
    public const string Kestrel = "kestrel";
    public const string Limit = "limit";

    /// <summary>SseFlights' shipped builds in the runs: the JIT-compiled one (the tool and <c>dotnet run</c>) and the Native AOT binary.</summary>
    public static readonly string[] Ours = [Us, UsAot];

    /// <summary>The peers SseFlights is ranked against; the limit peer is the floor, not a rival.</summary>
    public static readonly string[] Peers = [Node, Kestrel];

    private static readonly string[] RatioMetrics =
        [Metrics.P50, Metrics.P99, Metrics.P999, Metrics.Max, Metrics.DeliveriesPerSecond, Metrics.ConnectSeconds, Metrics.RssPerStream, Metrics.CpuPerMillion, Metrics.ThreadsPeak, Metrics.CatchUpMax];

    // A soak's streams come and go: RSS per stream, connect time and deliveries/s say nothing there.
    private static readonly string[] SoakRatioMetrics =
        [Metrics.P99, Metrics.Max, Metrics.SoakCatchUpP99, Metrics.SoakCatchUpMax, Metrics.AllocatedPerReconnect, Metrics.CpuPercent, Metrics.ThreadsPeak];

    public static ReportDocument Aggregate(IReadOnlyList<RunResult> runs, IReadOnlyList<LiveResult> live, string machine, string? commit)
    {
        List<Cell> cells = runs
            .GroupBy(r => (r.Mode, r.Clients, r.Stalled, r.Server))
            .Select(g => ToCell(g.Key.Mode, g.Key.Clients, g.Key.Stalled, g.Key.Server, [.. g]))
            .OrderBy(c => ModeOrder(c.Mode)).ThenBy(c => c.Clients).ThenBy(c => ServerOrder(c.Server))
            .ToList();
        List<Ratio> ratios = cells
            .Where(c => Ours.Contains(c.Server))
            .SelectMany(c => (c.Mode == "soak" ? SoakRatioMetrics : RatioMetrics).Select(m =>
            {
                Cell? best = BestPeer(cells, c.Mode, c.Clients, m);
                return new Ratio(
                    c.Server, c.Mode, c.Clients, m,
                    Divide(c, Find(cells, c.Mode, c.Clients, Node), m),
                    Divide(c, Find(cells, c.Mode, c.Clients, Kestrel), m),
                    Divide(c, best, m),
                    best?.Server,
                    Divide(c, Find(cells, c.Mode, c.Clients, Limit), m));
            }))
            .Where(r => r.OverNode is not null || r.OverKestrel is not null || r.OverLimit is not null)
            .ToList();
        List<RunCollections> collections = runs
            .Where(r => r.ServerStats?.Gc is not null)
            .OrderBy(r => ModeOrder(r.Mode)).ThenBy(r => r.Clients).ThenBy(r => ServerOrder(r.Server)).ThenBy(r => r.Rep)
            .Select(r => new RunCollections(r.Mode, r.Clients, r.Stalled, r.Server, r.Rep, r.ServerStats!.Gc!.Run, r.ServerStats.Gc.Window, r.ServerStats.Gc.Gen2ReasonsRun))
            .ToList();
        return new ReportDocument(DateTime.UtcNow, machine, commit, cells, ratios,
            LimitTargets.Evaluate(cells, live),
            TargetChecks.Evaluate(cells, Us), cells.Any(c => c.Server == UsAot) ? TargetChecks.Evaluate(cells, UsAot) : [],
            TargetChecks.EvaluateEarlier(cells), collections, CostGrowth.Rows(cells));
    }

    /// <summary>The peer (Node or Kestrel) with the better median of <paramref name="metric"/> in this mode and N.</summary>
    public static Cell? BestPeer(IEnumerable<Cell> cells, string mode, int clients, string metric)
    {
        var measured = Peers.Select(p => Find(cells, mode, clients, p))
            .Where(c => Median(c, metric) is { } v && !double.IsInfinity(v))
            .ToList();
        return Metrics.HigherIsBetter(metric) ? measured.MaxBy(c => Median(c, metric)) : measured.MinBy(c => Median(c, metric));
    }

    public static Cell? Find(IEnumerable<Cell> cells, string mode, int clients, string server) =>
        cells.FirstOrDefault(c => c.Mode == mode && c.Clients == clients && c.Server == server);

    public static double? Median(Cell? cell, string metric) =>
        cell is not null && cell.Metrics.TryGetValue(metric, out Stat? s) ? s.Median : null;

    public static int ModeOrder(string mode) => mode switch
    {
        "steady" => 0,
        "throughput" => 1,
        "stalled-baseline" => 2,
        "stalled" => 3,
        "storm" => 4,
        "soak" => 5,
        "close" => 6,
        "scale" => 7,
        _ => 8,
    };

    public static int ServerOrder(string server) => server switch
    {
        Us => 0,
        UsAot => 1,
        Node => 2,
        Kestrel => 3,
        Limit => 4,
        _ => 5,
    };

    private static Cell ToCell(string mode, int clients, int stalled, string server, RunResult[] runs)
    {
        var metrics = new SortedDictionary<string, Stat>(StringComparer.Ordinal);
        foreach (IGrouping<string, double> metric in runs
                     .SelectMany(Metrics.Of)
                     .Where(m => m.Value is not null && !double.IsNaN(m.Value.Value))
                     .GroupBy(m => m.Name, m => m.Value!.Value))
        {
            double[] values = metric.Order().ToArray();
            metrics[metric.Key] = new Stat(Round(MedianOf(values)), values[0], values[^1], values.Length);
        }
        return new Cell(
            mode, clients, stalled, server, runs.Length, runs.Count(r => r.Ok),
            runs.Sum(r => r.Gaps), runs.Sum(r => r.Duplicates), runs.Sum(r => (long)r.Failed), runs.Sum(r => r.Missing),
            metrics, runs.SelectMany(r => r.Errors).Distinct().Take(10).ToList());
    }

    public static double? Divide(Cell? us, Cell? peer, string metric)
    {
        double? a = Median(us, metric);
        double? b = Median(peer, metric);
        if (a is null || b is null || b == 0 || double.IsInfinity(a.Value) || double.IsInfinity(b.Value)) return null;
        return Round(a.Value / b.Value);
    }

    private static double MedianOf(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;

    private static double Round(double value) => double.IsInfinity(value) ? value : Math.Round(value, 3);
}
