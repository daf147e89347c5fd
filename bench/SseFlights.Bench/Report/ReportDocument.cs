namespace SseFlights.Bench.Report;

/// <summary>The aggregated results (results.json): one cell per mode × N × server, with the median
/// and range of each metric over its repetitions, the ratios between servers, the targets (issue #26's,
/// then issue #14's for each build and the earlier issues' as regression checks), and how cost grows with N.</summary>
internal sealed record ReportDocument(
    DateTime GeneratedAtUtc,
    string Machine,
    string? Commit,
    IReadOnlyList<Cell> Cells,
    IReadOnlyList<Ratio> Ratios,
    IReadOnlyList<TargetCheck> Targets,
    IReadOnlyList<TargetCheck> Issue14Targets,
    IReadOnlyList<TargetCheck> Issue14AotTargets,
    IReadOnlyList<TargetCheck> EarlierTargets,
    IReadOnlyList<RunCollections> Collections,
    IReadOnlyList<CostGrowth.Row> CostGrowth);

/// <summary>All runs of one server in one mode at one N.</summary>
internal sealed record Cell(
    string Mode,
    int Clients,
    int Stalled,
    string Server,
    int Runs,
    int OkRuns,
    long Gaps,
    long Duplicates,
    long Failed,
    long Missing,
    IReadOnlyDictionary<string, Stat> Metrics,
    IReadOnlyList<string> Errors);

/// <summary>Median, minimum and maximum of one metric over a cell's runs.</summary>
internal sealed record Stat(double Median, double Min, double Max, int Count);

/// <summary>One SseFlights build's (<paramref name="Server"/>) median divided by a peer's, for one metric of one mode and N: by Node's, by
/// Kestrel's, by the better of the two (<paramref name="BestPeer"/>), and by the limit peer's.</summary>
internal sealed record Ratio(string Server, string Mode, int Clients, string Metric, double? OverNode, double? OverKestrel, double? OverBestPeer, string? BestPeer, double? OverLimit);

/// <summary>One run's GC collections by generation (see <see cref="GcCounts"/>).</summary>
internal sealed record RunCollections(string Mode, int Clients, int Stalled, string Server, int Rep, IReadOnlyList<int> Run, IReadOnlyList<int> Window, IReadOnlyDictionary<string, long>? Gen2Reasons = null);

/// <summary>One target of the issue, checked against SseFlights' medians (null pass: not measured).</summary>
internal sealed record TargetCheck(string Target, string Measured, bool? Pass);
