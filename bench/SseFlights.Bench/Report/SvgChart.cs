using System.Globalization;
using System.Text;

namespace SseFlights.Bench.Report;

/// <summary>Hand-written SVG line charts against N, log–log axes, one line per server through the
/// medians, whiskers from min to max: p99 latency of the steady runs (p99-latency.svg), and how cost
/// grows (cost-growth.svg: CPU per delivery and RSS per stream, one panel each).</summary>
internal static class SvgChart
{
    private const double Width = 760;
    private const double Height = 460;
    private const double Left = 80;
    private const double Right = 150;
    private const double Top = 50;
    private const double Bottom = 60;

    private static readonly (string Server, string Label, string Color)[] Series =
    [
        (ResultsAggregator.Us, "SseFlights", "#1565c0"),
        (ResultsAggregator.UsAot, "SseFlights AOT", "#6a1b9a"),
        (ResultsAggregator.Node, "Node", "#2e7d32"),
        (ResultsAggregator.Kestrel, "Kestrel", "#c62828"),
        (ResultsAggregator.Limit, "limit peer", "#757575"),
    ];

    /// <summary>One median with its range; a hollow point was measured another way than the rest of its line (it says how in its tooltip).</summary>
    internal sealed record Point(string Server, int Clients, Stat Stat, bool Hollow = false, string Note = "");

    public static string Render(IReadOnlyList<Cell> cells, string mode = "steady", string metric = Metrics.P99)
    {
        List<Point> points = cells
            .Where(c => c.Mode == mode && c.Metrics.ContainsKey(metric))
            .Select(c => new Point(c.Server, c.Clients, c.Metrics[metric]))
            .ToList();
        var svg = new StringBuilder();
        Open(svg, Height);
        Panel(svg, 0, "p99 latency against concurrent streams (10 events/s; median, min–max)", "p99 latency, ms (log scale)", FormatMs, points, "no steady runs");
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>CPU per delivery and RSS per stream against N (see <see cref="CostGrowth"/>), one panel above the other.</summary>
    public static string RenderCostGrowth(IReadOnlyList<CostGrowth.Row> rows)
    {
        List<Point> Of(Func<CostGrowth.Row, Stat?> metric) => rows
            .Where(r => metric(r) is not null)
            .Select(r => new Point(r.Server, r.Clients, metric(r)!, r.Mode != "steady", r.Mode == "steady" ? "" : Inv($" ({r.Mode} run, {r.EventsPerSecond:0.#} events/s)")))
            .ToList();
        var svg = new StringBuilder();
        // Room under the two panels for the note on hollow points.
        Open(svg, 2 * Height + 24);
        Panel(svg, 0, "CPU per delivery against concurrent streams (median, min–max)", "CPU s per million deliveries (log)", Plain, Of(r => r.CpuPerMillion), "no runs");
        Panel(svg, Height, "RSS per stream against concurrent streams (median, min–max)", "RSS KiB per stream (log)", Plain, Of(r => r.RssPerStream), "no runs");
        svg.Append(Inv($"<text x=\"{Left}\" y=\"{2 * Height + 10}\" fill=\"#555\">Filled: steady runs, 10 events/s. Hollow: the scale run, 1 event/s (see RESULTS.md, \"How cost grows\").</text>\n"));
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void Open(StringBuilder svg, double height)
    {
        svg.Append(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(Inv($"<rect width=\"{Width}\" height=\"{height}\" fill=\"white\"/>\n"));
    }

    /// <summary>One chart, drawn <paramref name="offsetY"/> below the top of the picture.</summary>
    private static void Panel(StringBuilder svg, double offsetY, string title, string yLabel, Func<double, string> format, List<Point> all, string empty)
    {
        List<Point> points = all.Where(p => p.Stat.Median > 0 && !double.IsInfinity(p.Stat.Max)).ToList();
        svg.Append(Inv($"<g transform=\"translate(0 {offsetY})\">\n"));
        svg.Append(Inv($"<text x=\"{Width / 2}\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">{title}</text>\n"));
        if (points.Count == 0)
        {
            svg.Append(Inv($"<text x=\"{Width / 2}\" y=\"{Height / 2}\" text-anchor=\"middle\">{empty}</text>\n</g>\n"));
            return;
        }

        double xMin = Math.Log10(points.Min(p => p.Clients)) - 0.15, xMax = Math.Log10(points.Max(p => p.Clients)) + 0.15;
        double yMin = Math.Floor(Math.Log10(points.Min(p => Math.Max(p.Stat.Min, 0.01))));
        double yMax = Math.Ceiling(Math.Log10(points.Max(p => p.Stat.Max)));
        if (yMax <= yMin) yMax = yMin + 1;
        double plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        double X(double n) => Left + (Math.Log10(n) - xMin) / (xMax - xMin) * plotW;
        double Y(double v) => Top + plotH - (Math.Log10(Math.Max(v, Math.Pow(10, yMin))) - yMin) / (yMax - yMin) * plotH;

        // Decade grid lines and labels on the value axis; one tick per N measured.
        for (double d = yMin; d <= yMax; d++)
        {
            double y = Y(Math.Pow(10, d));
            svg.Append(Inv($"<line x1=\"{Left}\" y1=\"{y:F1}\" x2=\"{Left + plotW}\" y2=\"{y:F1}\" stroke=\"#ddd\"/>\n"));
            svg.Append(Inv($"<text x=\"{Left - 8}\" y=\"{y + 4:F1}\" text-anchor=\"end\">{format(Math.Pow(10, d))}</text>\n"));
            if (d == yMax) break;
            foreach (double minor in (double[])[2, 5])
            {
                double ym = Y(minor * Math.Pow(10, d));
                svg.Append(Inv($"<line x1=\"{Left}\" y1=\"{ym:F1}\" x2=\"{Left + plotW}\" y2=\"{ym:F1}\" stroke=\"#f0f0f0\"/>\n"));
                svg.Append(Inv($"<text x=\"{Left - 8}\" y=\"{ym + 4:F1}\" text-anchor=\"end\" fill=\"#999\" font-size=\"10\">{format(minor * Math.Pow(10, d))}</text>\n"));
            }
        }
        foreach (int n in points.Select(p => p.Clients).Distinct().Order())
        {
            double x = X(n);
            svg.Append(Inv($"<line x1=\"{x:F1}\" y1=\"{Top}\" x2=\"{x:F1}\" y2=\"{Top + plotH}\" stroke=\"#eee\"/>\n"));
            svg.Append(Inv($"<text x=\"{x:F1}\" y=\"{Top + plotH + 18}\" text-anchor=\"middle\">{n.ToString("N0", CultureInfo.InvariantCulture)}</text>\n"));
        }
        svg.Append(Inv($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{plotW}\" height=\"{plotH}\" fill=\"none\" stroke=\"#444\"/>\n"));
        svg.Append(Inv($"<text x=\"{Left + plotW / 2}\" y=\"{Height - 16}\" text-anchor=\"middle\">concurrent streams N (log scale)</text>\n"));
        svg.Append(Inv($"<text transform=\"translate(20 {Top + plotH / 2}) rotate(-90)\" text-anchor=\"middle\">{yLabel}</text>\n"));

        int row = 0;
        foreach ((string server, string label, string color) in Series)
        {
            var mine = points.Where(p => p.Server == server).OrderBy(p => p.Clients).ToList();
            if (mine.Count == 0) continue;
            string line = string.Join(" ", mine.Select(p => Inv($"{X(p.Clients):F1},{Y(p.Stat.Median):F1}")));
            svg.Append(Inv($"<polyline points=\"{line}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"/>\n"));
            foreach (Point p in mine)
            {
                double x = X(p.Clients);
                string fill = p.Hollow ? "white" : color;
                svg.Append(Inv($"<line x1=\"{x:F1}\" y1=\"{Y(p.Stat.Min):F1}\" x2=\"{x:F1}\" y2=\"{Y(p.Stat.Max):F1}\" stroke=\"{color}\" stroke-width=\"1.5\"/>\n"));
                svg.Append(Inv($"<circle cx=\"{x:F1}\" cy=\"{Y(p.Stat.Median):F1}\" r=\"4\" fill=\"{fill}\" stroke=\"{color}\" stroke-width=\"1.5\"><title>{label} N={p.Clients}{p.Note}: {p.Stat.Median} ({p.Stat.Min}–{p.Stat.Max})</title></circle>\n"));
            }
            double ly = Top + 14 + row++ * 20;
            svg.Append(Inv($"<line x1=\"{Left + plotW + 12}\" y1=\"{ly}\" x2=\"{Left + plotW + 32}\" y2=\"{ly}\" stroke=\"{color}\" stroke-width=\"2\"/>\n"));
            svg.Append(Inv($"<text x=\"{Left + plotW + 36}\" y=\"{ly + 4}\">{label}</text>\n"));
        }
        svg.Append("</g>\n");
    }

    private static string FormatMs(double ms) => ms >= 1000 ? Inv($"{ms / 1000:0.##} s") : Inv($"{ms:0.##} ms");

    private static string Plain(double value) => Inv($"{value:0.##}");

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
