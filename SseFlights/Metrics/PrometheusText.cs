using System.Globalization;
using System.Text;

namespace SseFlights.Metrics;

/// <summary>
/// Renders the registry in the Prometheus text exposition format 0.0.4: a HELP and a TYPE line per
/// metric, counters named <c>..._total</c>, histograms as cumulative <c>_bucket{le=...}</c> lines
/// ending with <c>+Inf</c>, then <c>_sum</c> and <c>_count</c>. Pure: instruments in, text out.
/// </summary>
internal static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Render(IReadOnlyList<InstrumentState> instruments)
    {
        var text = new StringBuilder();
        foreach (var instrument in instruments)
        {
            string name = MetricName(instrument);
            text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(instrument.Description)).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(instrument.Kind switch
            {
                MetricKind.Counter => "counter",
                MetricKind.Gauge => "gauge",
                _ => "histogram",
            }).Append('\n');
            foreach (var series in instrument.Series)
            {
                if (instrument.Kind == MetricKind.Histogram)
                {
                    AppendHistogram(text, name, instrument.Bounds, series);
                }
                else
                {
                    AppendSample(text, name, series.Tags, null, series.Value.ToString(CultureInfo.InvariantCulture));
                }
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// The instrument's dotted name in snake case, with its unit spelled out the way Prometheus
    /// names want it (<c>s</c> → <c>_seconds</c>, <c>By</c> → <c>_bytes</c>, unless the name already
    /// ends so) and <c>_total</c> on counters.
    /// </summary>
    public static string MetricName(InstrumentState instrument)
    {
        string name = instrument.Name.Replace('.', '_').Replace('-', '_');
        string unit = instrument.Unit switch
        {
            "s" => "_seconds",
            "By" => "_bytes",
            _ => "",
        };
        name += name.EndsWith(unit, StringComparison.Ordinal) ? "" : unit;
        return instrument.Kind == MetricKind.Counter ? name + "_total" : name;
    }

    private static void AppendHistogram(StringBuilder text, string name, double[] bounds, MetricSeries series)
    {
        long[] counts = series.Buckets();
        long cumulative = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            cumulative += counts[i];
            string le = i < bounds.Length ? Number(bounds[i]) : "+Inf";
            AppendSample(text, name + "_bucket", series.Tags, le, cumulative.ToString(CultureInfo.InvariantCulture));
        }

        AppendSample(text, name + "_sum", series.Tags, null, Number(series.Sum));

        // The count is the +Inf bucket as read above, so the two always agree.
        AppendSample(text, name + "_count", series.Tags, null, cumulative.ToString(CultureInfo.InvariantCulture));
    }

    private static void AppendSample(StringBuilder text, string name, KeyValuePair<string, object?>[] tags, string? le, string value)
    {
        text.Append(name);
        if (tags.Length > 0 || le is not null)
        {
            text.Append('{');
            string separator = "";
            foreach (var (key, tagValue) in tags)
            {
                text.Append(separator).Append(key.Replace('.', '_')).Append("=\"")
                    .Append(EscapeLabel(Convert.ToString(tagValue, CultureInfo.InvariantCulture) ?? "")).Append('"');
                separator = ",";
            }

            if (le is not null)
            {
                text.Append(separator).Append("le=\"").Append(le).Append('"');
            }

            text.Append('}');
        }

        text.Append(' ').Append(value).Append('\n');
    }

    private static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>Label values escape backslash, double quote and line feed (exposition format 0.0.4).</summary>
    public static string EscapeLabel(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>HELP text escapes only backslash and line feed.</summary>
    private static string EscapeHelp(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
