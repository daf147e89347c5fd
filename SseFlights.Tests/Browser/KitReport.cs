using System.Text.Json;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Browser;

/// <summary>
/// The check a browser's full run of /kit/ gets: its report grades every case of the pack, in order, exactly as
/// the pack says this browser behaves (a recorded deviation where the case has one for it, the spec everywhere
/// else), and its summary line counts them.
/// </summary>
internal static class KitReport
{
    /// <summary>What the pack says <paramref name="client"/>'s run of each case comes to, as "case: outcome".</summary>
    public static List<string> ExpectedOutcomes(string client) =>
        [.. ClientPack.Cases().Select(name => $"{name}: {(ClientPack.Load(name).Expect!.Deviations.ContainsKey(client) ? "known-deviation" : "as-spec")}")];

    public static List<string> Outcomes(JsonElement report) =>
        [.. report.GetProperty("cases").EnumerateArray().Select(row => $"{row.GetProperty("name").GetString()}: {row.GetProperty("outcome").GetString()}")];

    public static void AssertMatchesThePack(JsonElement report, string client)
    {
        var expected = ExpectedOutcomes(client);
        var rows = report.GetProperty("cases").EnumerateArray().ToList();
        TestContext.Out.WriteLine($"{report.GetProperty("userAgent").GetString()}: {report.GetProperty("summary").GetString()} in {report.GetProperty("ms").GetInt32()} ms");
        foreach (var row in rows.Where(r => !expected.Contains($"{r.GetProperty("name").GetString()}: {r.GetProperty("outcome").GetString()}")))
        {
            TestContext.Out.WriteLine($"{row.GetProperty("name").GetString()}: {row.GetProperty("outcome").GetString()}: {string.Join("; ", row.GetProperty("differences").EnumerateArray().Select(d => d.GetString()))}");
            if (row.TryGetProperty("observed", out var observed))
            {
                TestContext.Out.WriteLine("  observed: " + observed.GetRawText()[..Math.Min(2000, observed.GetRawText().Length)]);
            }
        }

        int known = expected.Count(e => e.EndsWith(": known-deviation", StringComparison.Ordinal));
        Assert.That(Outcomes(report), Is.EqualTo(expected));
        Assert.That(report.GetProperty("summary").GetString(), Is.EqualTo($"{expected.Count - known} of {expected.Count} as the spec says{(known == 0 ? "" : $"; {known} known deviation{(known == 1 ? "" : "s")}")}"));
    }
}
