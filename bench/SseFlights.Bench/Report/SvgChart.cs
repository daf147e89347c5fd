using System.Globalization;
using System.Text;

namespace SseFlights.Bench.Report;

/// <summary>A hand-written SVG line chart of p99 latency against N for the steady runs: log–log
/// axes, one line per server through the medians, whiskers from min to max.</summary>
internal static class SvgChart
{
    private const double Width = 760;
    private const double Height = 460;
    private const double Left = 80;
    private const double Right = 120;
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

    public static string Render(IReadOnlyList<Cell> cells, string mode = "steady", string metric = Metrics.P99)
    {
        var points = cells
            .Where(c => c.Mode == mode && c.Metrics.ContainsKey(metric))
            .Select(c => (c.Server, c.Clients, Stat: c.Metrics[metric]))
            .Where(p => p.Stat.Median > 0 && !double.IsInfinity(p.Stat.Max))
            .ToList();
        var svg = new StringBuilder();
        svg.Append(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(Inv($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n"));
        svg.Append(Inv($"<text x=\"{Width / 2}\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">p99 latency against concurrent streams (10 events/s; median, min–max)</text>\n"));
        if (points.Count == 0)
        {
            svg.Append(Inv($"<text x=\"{Width / 2}\" y=\"{Height / 2}\" text-anchor=\"middle\">no steady runs</text>\n</svg>\n"));
            return svg.ToString();
        }

        double xMin = Math.Log10(points.Min(p => p.Clients)) - 0.15, xMax = Math.Log10(points.Max(p => p.Clients)) + 0.15;
        double yMin = Math.Floor(Math.Log10(points.Min(p => Math.Max(p.Stat.Min, 0.01))));
        double yMax = Math.Ceiling(Math.Log10(points.Max(p => p.Stat.Max)));
        if (yMax <= yMin) yMax = yMin + 1;
        double plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        double X(double n) => Left + (Math.Log10(n) - xMin) / (xMax - xMin) * plotW;
        double Y(double ms) => Top + plotH - (Math.Log10(Math.Max(ms, Math.Pow(10, yMin))) - yMin) / (yMax - yMin) * plotH;

        // Decade grid lines and labels on the latency axis; one tick per N measured.
        for (double d = yMin; d <= yMax; d++)
        {
            double y = Y(Math.Pow(10, d));
            svg.Append(Inv($"<line x1=\"{Left}\" y1=\"{y:F1}\" x2=\"{Left + plotW}\" y2=\"{y:F1}\" stroke=\"#ddd\"/>\n"));
            svg.Append(Inv($"<text x=\"{Left - 8}\" y=\"{y + 4:F1}\" text-anchor=\"end\">{FormatMs(Math.Pow(10, d))}</text>\n"));
            if (d == yMax) break;
            foreach (double minor in (double[])[2, 5])
            {
                double ym = Y(minor * Math.Pow(10, d));
                svg.Append(Inv($"<line x1=\"{Left}\" y1=\"{ym:F1}\" x2=\"{Left + plotW}\" y2=\"{ym:F1}\" stroke=\"#f0f0f0\"/>\n"));
                svg.Append(Inv($"<text x=\"{Left - 8}\" y=\"{ym + 4:F1}\" text-anchor=\"end\" fill=\"#999\" font-size=\"10\">{FormatMs(minor * Math.Pow(10, d))}</text>\n"));
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
        svg.Append(Inv($"<text transform=\"translate(20 {Top + plotH / 2}) rotate(-90)\" text-anchor=\"middle\">p99 latency, ms (log scale)</text>\n"));

        int row = 0;
        foreach ((string server, string label, string color) in Series)
        {
            var mine = points.Where(p => p.Server == server).OrderBy(p => p.Clients).ToList();
            if (mine.Count == 0) continue;
            string line = string.Join(" ", mine.Select(p => Inv($"{X(p.Clients):F1},{Y(p.Stat.Median):F1}")));
            svg.Append(Inv($"<polyline points=\"{line}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"/>\n"));
            foreach (var p in mine)
            {
                double x = X(p.Clients);
                svg.Append(Inv($"<line x1=\"{x:F1}\" y1=\"{Y(p.Stat.Min):F1}\" x2=\"{x:F1}\" y2=\"{Y(p.Stat.Max):F1}\" stroke=\"{color}\" stroke-width=\"1.5\"/>\n"));
                svg.Append(Inv($"<circle cx=\"{x:F1}\" cy=\"{Y(p.Stat.Median):F1}\" r=\"4\" fill=\"{color}\"><title>{label} N={p.Clients}: p99 {p.Stat.Median} ms ({p.Stat.Min}–{p.Stat.Max})</title></circle>\n"));
            }
            double ly = Top + 14 + row++ * 20;
            svg.Append(Inv($"<line x1=\"{Left + plotW + 12}\" y1=\"{ly}\" x2=\"{Left + plotW + 32}\" y2=\"{ly}\" stroke=\"{color}\" stroke-width=\"2\"/>\n"));
            svg.Append(Inv($"<text x=\"{Left + plotW + 36}\" y=\"{ly + 4}\">{label}</text>\n"));
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static string FormatMs(double ms) => ms >= 1000 ? Inv($"{ms / 1000:0.##} s") : Inv($"{ms:0.##} ms");

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
