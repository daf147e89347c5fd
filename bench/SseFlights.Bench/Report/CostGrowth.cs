namespace SseFlights.Bench.Report;

/// <summary>
/// How cost grows with N: CPU per delivery and RSS per stream of SseFlights (both builds) and the limit
/// peer. The steady runs (10 events/s) give every N they have; the scale run gives its own N where no
/// steady run has it. 18,000 streams at 10 events/s is 180,000 deliveries a second, more than two
/// cores shared with the generator can carry, so the scale run's point is at 1 event/s and is drawn
/// and listed as such, with the rate each run delivered at.
/// </summary>
internal static class CostGrowth
{
    /// <summary>The servers the chart follows.</summary>
    public static readonly string[] Servers = [ResultsAggregator.Us, ResultsAggregator.UsAot, ResultsAggregator.Limit];

    /// <summary>One server at one N: which run it comes from, at what rate, and the two costs (null where not measured).</summary>
    internal sealed record Row(string Server, int Clients, string Mode, double EventsPerSecond, Stat? CpuPerMillion, Stat? RssPerStream);

    public static IReadOnlyList<Row> Rows(IReadOnlyList<Cell> cells)
    {
        var rows = new List<Row>();
        foreach (Cell c in cells.Where(c => Servers.Contains(c.Server) && c.Stalled == 0))
        {
            bool steady = c.Mode == "steady" && c.Clients >= 1_000;
            bool scale = c.Mode == "scale" && ResultsAggregator.Find(cells, "steady", c.Clients, c.Server) is null;
            if (!steady && !scale) continue;
            // The rate the run delivered at, per stream (10 in a steady run, 1 in the scale run when the server kept up).
            double perStream = Math.Round((ResultsAggregator.Median(c, Metrics.DeliveriesPerSecond) ?? 0) / c.Clients, 1);
            rows.Add(new Row(c.Server, c.Clients, c.Mode, perStream,
                c.Metrics.GetValueOrDefault(Metrics.CpuPerMillion), c.Metrics.GetValueOrDefault(Metrics.RssPerStream)));
        }
        return rows.OrderBy(r => r.Clients).ThenBy(r => ResultsAggregator.ServerOrder(r.Server)).ToList();
    }
}
