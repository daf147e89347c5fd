using System.Globalization;

namespace SseFlights.Tests.Support;

/// <summary>
/// A /metrics answer as samples: <c>name{labels}</c> exactly as written, to its value. Tests look
/// samples up by their full text, so a wrong label or name fails as surely as a wrong count.
/// </summary>
internal sealed class MetricsSamples(string text, IReadOnlyDictionary<string, double> samples)
{
    public string Text { get; } = text;

    public double this[string sample] => samples.TryGetValue(sample, out double value)
        ? value
        : throw new AssertionException($"no sample '{sample}' in /metrics:\n{Text}");

    public static MetricsSamples Parse(string text)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            int space = line.LastIndexOf(' ');
            string value = line[(space + 1)..];
            samples.Add(line[..space], value == "+Inf" ? double.PositiveInfinity : double.Parse(value, CultureInfo.InvariantCulture));
        }

        return new MetricsSamples(text, samples);
    }

    public static async Task<MetricsSamples> GetAsync(HttpClient http) => Parse(await http.GetStringAsync("metrics"));
}
