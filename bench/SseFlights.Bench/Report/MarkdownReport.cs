using System.Globalization;
using System.Text;

namespace SseFlights.Bench.Report;

/// <summary>Renders RESULTS.md: targets first (issue #26's, then the earlier ones as regression checks),
/// how cost grows with N, then one table per mode (median, min–max over the repetitions) with every
/// server including the limit peer, SseFlights' ratios to each peer, to the best one and to the limit
/// peer, and last the GC collections of every run.</summary>
internal static class MarkdownReport
{
    // Columns computed from more than one metric or cell.
    private const string CpuOverLimit = "cpuOverLimit";
    private const string Collections = "gcCollections";
    private const string WindowCollections = "gcWindowCollections";
    private const string Duplicates = "duplicates";

    private static readonly (string Metric, string Header)[] LatencyColumns =
    [
        (Metrics.P50, "p50 ms"), (Metrics.P99, "p99 ms"), (Metrics.P999, "p99.9 ms"), (Metrics.Max, "max ms"),
    ];

    private static readonly (string Metric, string Header)[] CostColumns =
    [
        (Metrics.DeliveriesPerSecond, "deliveries/s"), (Metrics.ConnectSeconds, "connect all s"),
        (Metrics.RssPerStream, "RSS KiB/stream"), (Metrics.CpuPerMillion, "CPU s / M deliveries"), (CpuOverLimit, "CPU × limit"),
        (Metrics.AllocatedPerDelivery, "bytes alloc / delivery"), (Collections, "GC gen 0/1/2"),
        (Metrics.ThreadsIdle, "threads idle"), (Metrics.ThreadsPeak, "threads peak"), (Metrics.BenchCpuPercent, "bench CPU %"),
    ];

    private static readonly (string Metric, string Header)[] StormColumns =
    [
        (Metrics.CatchUpP99, "catch-up p99 ms"), (Metrics.CatchUpMax, "all caught up ms"),
    ];

    // A soak has its own columns: what matters is what each reconnect costs, over the soak window.
    private static readonly (string Metric, string Header)[] SoakColumns =
    [
        (Duplicates, "dups"), (Metrics.SoakReconnects, "reconnects"), (Metrics.SoakReconnectsPerSecond, "reconnects/s"),
        (Metrics.SoakReconnectFailures, "reconnect failures"), (Metrics.SoakCatchUpP99, "catch-up p99 ms"), (Metrics.SoakCatchUpMax, "catch-up max ms"),
        (Metrics.SoakCutBeforeCaughtUp, "cut before caught up"), (WindowCollections, "GC gen 0/1/2 in soak"),
        (Metrics.AllocatedPerReconnect, "bytes alloc / reconnect"), (Metrics.P99, "event p99 ms"), (Metrics.Max, "event max ms"),
        (Metrics.CpuPercent, "server CPU %"), (Metrics.ThreadsPeak, "threads peak"),
    ];

    // The close run: the close against the same run's ordinary events.
    private static readonly (string Metric, string Header)[] CloseColumns =
    [
        (Metrics.P50, "events p50 ms"), (Metrics.CloseP50, "close p50 ms"), (Metrics.CloseP99, "close p99 ms"), (Metrics.CloseMax, "close max ms"),
        (Metrics.CloseOverOrdinary, "close p50 × events p50"), (Metrics.CpuPerMillion, "CPU s / M deliveries"),
    ];

    // The scale run: connecting all, steady latency at 1 event/s, memory and files per stream, then the storm.
    private static readonly (string Metric, string Header)[] ScaleColumns =
    [
        (Metrics.ConnectSeconds, "connect all s"), .. LatencyColumns, (Duplicates, "dups"), (Metrics.RssPerStream, "RSS KiB/stream"),
        (Metrics.CpuPerMillion, "CPU s / M deliveries"), (CpuOverLimit, "CPU × limit"), (Metrics.CatchUpP99, "catch-up p99 ms"), (Metrics.CatchUpMax, "all caught up ms"),
        (Metrics.OpenFilesIdle, "server files idle"), (Metrics.OpenFilesConnected, "server files connected"), (Metrics.BenchOpenFiles, "bench files (most)"),
        (Metrics.ThreadsPeak, "threads peak"), (Metrics.BenchCpuPercent, "bench CPU %"),
    ];

    private static readonly (string Metric, string Header)[] StalledColumns =
    [
        (Metrics.StalledClosed, "stalled closed by server"),
    ];

    private static readonly Dictionary<string, string> Titles = new()
    {
        ["steady"] = "Steady load: 10 events/s",
        ["throughput"] = "Throughput: events as fast as the scenario allows",
        ["stalled-baseline"] = "Stalled-run baseline: the stall scenario with no stalled client",
        ["stalled"] = "Stalled clients among healthy ones (latency of the healthy ones)",
        ["storm"] = "Reconnect storm: every stream cut by a drop",
        ["soak"] = "Reconnect-heavy soak: drops over and over, clients reconnect after the server's retry",
        ["close"] = "The close: closedConnection to every stream, which then ends",
        ["scale"] = "Scale: one node at the machine's ceiling, 1 event/s, then every stream dropped",
    };

    public static string Render(ReportDocument report, string rawSource)
    {
        var md = new StringBuilder();
        md.AppendLine("# SseFlights benchmark results");
        md.AppendLine();
        md.AppendLine(Inv($"Generated {report.GeneratedAtUtc:yyyy-MM-dd HH:mm} UTC by `bench/run.sh` on {report.Machine}{(report.Commit is null ? "" : $", commit `{report.Commit}`")}; raw runs: `{rawSource}`."));
        md.AppendLine("Each cell is the median over its repetitions, with min–max in brackets. Latency is measured from each event's scheduled time (`startedAt` + `at` / `speed`) to its arrival at each client; see `bench/README.md` for every number's meaning.");
        md.AppendLine();
        md.AppendLine("## Targets of issue #26: close to the limit (SseFlights)");
        md.AppendLine();
        md.AppendLine("Against the limit peer (`bench/peers/limit`, the least work a server can do here), not a peer already beaten. "
            + "Where the limit peer misses an absolute target itself in the same runs, its figure stands beside ours: on two cores shared with the generator, that is the floor.");
        md.AppendLine();
        RenderTargets(md, report.Targets);
        RenderScaleHeld(md, report.Cells);
        md.AppendLine("## Regression checks");
        md.AppendLine();
        md.AppendLine("### Issue #14 (SseFlights)");
        md.AppendLine();
        md.AppendLine("\"Best peer\" is the better of Node and Kestrel on that figure; the limit peer is the floor, not a peer.");
        md.AppendLine();
        RenderTargets(md, report.Issue14Targets);
        if (report.Issue14AotTargets.Count > 0)
        {
            md.AppendLine("### Issue #14 for the Native AOT build (`sseflights-aot`)");
            md.AppendLine();
            md.AppendLine("The binary `dotnet publish -p:PublishAot=true` makes (see `deploy/`), measured as its own server in the same runs; the targets above are for the JIT-compiled build that `dotnet run` and the tool run.");
            md.AppendLine();
            RenderTargets(md, report.Issue14AotTargets);
        }
        md.AppendLine("### Earlier issues");
        md.AppendLine();
        RenderTargets(md, report.EarlierTargets);
        md.AppendLine("![p99 latency against N](p99-latency.svg)");
        md.AppendLine();
        RenderCostGrowth(md, report.CostGrowth);

        foreach (IGrouping<string, Cell> mode in report.Cells.GroupBy(c => c.Mode).OrderBy(g => ResultsAggregator.ModeOrder(g.Key)))
        {
            md.AppendLine($"## {Titles.GetValueOrDefault(mode.Key, mode.Key)}");
            md.AppendLine();
            (string Metric, string Header)[] columns = mode.Key switch
            {
                "soak" => SoakColumns,
                "close" => CloseColumns,
                "scale" => ScaleColumns,
                _ => [.. LatencyColumns, .. CostColumns, .. Extra(mode.Key)],
            };
            if (mode.Key == "soak") RenderSoakNote(md, [.. mode]);
            md.AppendLine("| N | server | runs ok | failed | gaps | missing | " + string.Join(" | ", columns.Select(c => c.Header)) + " |");
            md.AppendLine("| --- | --- | --- | --- | --- | --- | " + string.Join(" | ", columns.Select(_ => "---")) + " |");
            foreach (Cell c in mode)
            {
                string n = c.Clients.ToString("N0", CultureInfo.InvariantCulture) + (c.Stalled > 0 ? Inv($" + {c.Stalled} stalled") : "");
                md.Append(Inv($"| {n} | {c.Server} | {c.OkRuns}/{c.Runs} | {c.Failed} | {c.Gaps} | {c.Missing} | "));
                md.AppendLine(string.Join(" | ", columns.Select(col => Column(report, c, col.Metric))) + " |");
            }
            md.AppendLine();
            RenderRatios(md, report.Ratios.Where(r => r.Mode == mode.Key).ToList());
            List<string> errors = mode.SelectMany(c => c.Errors.Select(e => $"{c.Server} N={c.Clients}: {e}")).ToList();
            if (errors.Count > 0)
            {
                md.AppendLine("Problems seen in these runs:");
                md.AppendLine();
                foreach (string e in errors) md.AppendLine($"- {e}");
                md.AppendLine();
            }
        }
        RenderCollections(md, report.Collections);
        return md.ToString();
    }

    /// <summary>What the soak played, from its runs, and which servers could not give GC figures.</summary>
    private static void RenderSoakNote(StringBuilder md, IReadOnlyList<Cell> soak)
    {
        double? every = soak.Select(c => ResultsAggregator.Median(c, Metrics.SoakDropEvery)).FirstOrDefault(v => v is not null);
        double? retry = soak.Select(c => ResultsAggregator.Median(c, Metrics.SoakRetry)).FirstOrDefault(v => v is not null);
        md.AppendLine(Inv($"`soak.json`: 10 events/s with a `drop` every {Number(every)} s; every server was started with `--retry {Number(retry)}` and each client waits the `retry:` it received before it reconnects with `Last-Event-ID`, as a browser does. ")
            + "Reconnects, catch-up (from a reconnect's start to the arrival of the last event due then), GC collections and allocation are over the soak window only; bytes per reconnect are everything the server allocated in it (its events' fan-out too) over the reconnects.");
        string[] noStats = soak.Where(c => !c.Metrics.ContainsKey(Metrics.GcWindowGen0)).Select(c => c.Server).Distinct().ToArray();
        if (noStats.Length > 0) md.AppendLine($"{string.Join(" and ", noStats)} {(noStats.Length == 1 ? "has" : "have")} no `/api/stats`: no GC or allocation figures.");
        md.AppendLine();
    }

    /// <summary>Which servers held every stream of the scale run, and for those that did not, the first errors they gave.</summary>
    private static void RenderScaleHeld(StringBuilder md, IReadOnlyList<Cell> cells)
    {
        List<Cell> scale = cells.Where(c => c.Mode == "scale").ToList();
        if (scale.Count == 0) return;
        md.AppendLine("Every server in the scale run:");
        md.AppendLine();
        foreach (Cell c in scale)
        {
            string n = c.Clients.ToString("N0", CultureInfo.InvariantCulture);
            md.AppendLine(c.Failed == 0 && c.OkRuns == c.Runs
                ? Inv($"- {c.Server}: held {n} streams in {c.Runs} of {c.Runs} runs")
                : Inv($"- {c.Server}: did not hold {n} streams ({c.OkRuns} of {c.Runs} runs ok, {c.Failed:N0} connects failed over the runs): {string.Join("; ", c.Errors.Take(3))}"));
        }
        md.AppendLine();
    }

    /// <summary>CPU per delivery and RSS per stream against N (cost-growth.svg), and the same as a table.</summary>
    private static void RenderCostGrowth(StringBuilder md, IReadOnlyList<CostGrowth.Row> rows)
    {
        if (rows.Count == 0) return;
        md.AppendLine("## How cost grows");
        md.AppendLine();
        md.AppendLine("CPU per delivery and RSS per stream against N, for SseFlights and the limit peer. Up to 10,000 streams from the steady runs (10 events/s); "
            + "the scale run's N (18,000 by default) from the scale run, at 1 event/s: 18,000 streams at 10 events/s would be 180,000 deliveries a second, beyond two cores "
            + "shared with the generator (at 10,000 streams the limit peer and the generator together already use well over one core). Its RSS per stream is measured as at the other N "
            + "(idle between events); its CPU per delivery carries each second's fixed work (timers, heartbeats every 15 s) over a tenth of the deliveries, so it is drawn hollow.");
        md.AppendLine();
        md.AppendLine("![CPU per delivery and RSS per stream against N](cost-growth.svg)");
        md.AppendLine();
        md.AppendLine("| N | server | run | events/s per stream | CPU s / M deliveries | RSS KiB/stream |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- |");
        foreach (CostGrowth.Row r in rows)
        {
            md.AppendLine(Inv($"| {r.Clients:N0} | {r.Server} | {r.Mode} | {Number(r.EventsPerSecond)} | {Format(r.CpuPerMillion)} | {Format(r.RssPerStream)} |"));
        }
        md.AppendLine();
    }

    private static void RenderTargets(StringBuilder md, IReadOnlyList<TargetCheck> targets)
    {
        md.AppendLine("| target | measured (median) | met |");
        md.AppendLine("| --- | --- | --- |");
        foreach (TargetCheck t in targets)
        {
            md.AppendLine($"| {t.Target} | {t.Measured} | {(t.Pass switch { true => "yes", false => "**no**", null => "–" })} |");
        }
        md.AppendLine();
    }

    /// <summary>Every run's GC collections by generation, from /api/stats (sseflights and the Kestrel peer).</summary>
    private static void RenderCollections(StringBuilder md, IReadOnlyList<RunCollections> runs)
    {
        if (runs.Count == 0) return;
        md.AppendLine("## GC collections by generation, per run");
        md.AppendLine();
        md.AppendLine("From `GET /api/stats` (`GC.CollectionCount(0)`, `(1)`, `(2)`; a gen-2 collection counts in all three). "
            + "\"Run\" is from before the first client connected until the drain (and a storm's catch-up) ended; \"window\" is the measurement window. "
            + "The run's gen-2 collections by the runtime's reason come from sseflights' `gen2Reasons` (its GC start events): `AllocLarge` and `OutOfSpaceLarge` would be big buffers on the large-object heap, `AllocSmall` is ordinary promotion.");
        md.AppendLine();
        md.AppendLine("| mode | N | server | rep | run gen 0/1/2 | window gen 0/1/2 | run gen 2 by reason |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
        foreach (RunCollections r in runs)
        {
            string n = r.Clients.ToString("N0", CultureInfo.InvariantCulture) + (r.Stalled > 0 ? Inv($" + {r.Stalled} stalled") : "");
            md.AppendLine(Inv($"| {r.Mode} | {n} | {r.Server} | {r.Rep} | {string.Join("/", r.Run)} | {(r.Window.Count == 3 ? string.Join("/", r.Window) : "–")} | {Reasons(r.Gen2Reasons)} |"));
        }
        md.AppendLine();
    }

    private static string Reasons(IReadOnlyDictionary<string, long>? reasons) => reasons switch
    {
        null => "–",
        { Count: 0 } => "none",
        _ => string.Join(", ", reasons.OrderByDescending(p => p.Value).Select(p => Inv($"{p.Key} {p.Value}"))),
    };

    /// <summary>One row per N and peer, one column per metric: SseFlights' median over the peer's.</summary>
    private static void RenderRatios(StringBuilder md, List<Ratio> ratios)
    {
        if (ratios.Count == 0) return;
        string[] metrics = ratios.Select(r => r.Metric).Distinct().ToArray();
        md.AppendLine("SseFlights ÷ peer, medians (below 1 is better, except deliveries/s); \"best peer\" is the better of Node and Kestrel on each figure, the limit peer is the floor; \"AOT\" rows are the Native AOT build's:");
        md.AppendLine();
        md.AppendLine("| N | SseFlights ÷ | " + string.Join(" | ", metrics.Select(Header)) + " |");
        md.AppendLine("| --- | --- | " + string.Join(" | ", metrics.Select(_ => "---")) + " |");
        foreach (IGrouping<(int Clients, string Server), Ratio> n in ratios.GroupBy(r => (r.Clients, r.Server)))
        {
            string count = n.Key.Clients.ToString("N0", CultureInfo.InvariantCulture);
            string build = n.Key.Server == ResultsAggregator.UsAot ? "AOT ÷ " : "";
            string Row(string label, Func<Ratio, string> value) =>
                $"| {count} | {build}{label} | " + string.Join(" | ", metrics.Select(m => n.FirstOrDefault(r => r.Metric == m) is { } r ? value(r) : "–")) + " |";
            md.AppendLine(Row("Node", r => Number(r.OverNode)));
            md.AppendLine(Row("Kestrel", r => Number(r.OverKestrel)));
            md.AppendLine(Row("best peer", r => r.OverBestPeer is null ? "–" : $"{Number(r.OverBestPeer)} ({r.BestPeer})"));
            md.AppendLine(Row("limit", r => Number(r.OverLimit)));
        }
        md.AppendLine();
    }

    private static string Header(string metric) =>
        LatencyColumns.Concat(CostColumns).Concat(StormColumns).Concat(SoakColumns).Concat(ScaleColumns).FirstOrDefault(c => c.Metric == metric).Header ?? metric;

    private static (string, string)[] Extra(string mode) => mode switch
    {
        "storm" => StormColumns,
        "stalled" => StalledColumns,
        _ => [],
    };

    private static string Column(ReportDocument report, Cell cell, string metric) => metric switch
    {
        // Each server's CPU per delivery as a multiple of the limit peer's, at the same mode and N.
        CpuOverLimit => Number(ResultsAggregator.Divide(cell, ResultsAggregator.Find(report.Cells, cell.Mode, cell.Clients, ResultsAggregator.Limit), Metrics.CpuPerMillion)),
        Collections => Generations(cell, Metrics.GcGen0, Metrics.GcGen1, Metrics.GcGen2),
        WindowCollections => Generations(cell, Metrics.GcWindowGen0, Metrics.GcWindowGen1, Metrics.GcWindowGen2),
        Duplicates => cell.Duplicates.ToString("N0", CultureInfo.InvariantCulture),
        _ => Format(cell, metric),
    };

    private static string Generations(Cell cell, params string[] generations) =>
        cell.Metrics.ContainsKey(generations[0]) ? string.Join("/", generations.Select(g => Number(cell.Metrics[g].Median))) : "–";

    private static string Format(Cell cell, string metric) => Format(cell.Metrics.GetValueOrDefault(metric));

    private static string Format(Stat? s)
    {
        if (s is null) return "–";
        if (s.Count == 1) return Number(s.Median);
        return $"{Number(s.Median)} ({Number(s.Min)}–{Number(s.Max)})";
    }

    private static string Number(double? value) => value switch
    {
        null => "–",
        { } v when double.IsInfinity(v) => "not all",
        >= 1000 => value.Value.ToString("N0", CultureInfo.InvariantCulture),
        >= 10 => value.Value.ToString("0.#", CultureInfo.InvariantCulture),
        _ => value.Value.ToString("0.##", CultureInfo.InvariantCulture),
    };

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
