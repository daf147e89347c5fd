using System.Globalization;
using System.Text;

namespace SseFlights.Tests.Support;

/// <summary>Scenario files for tests: the repository's own, and generated ones.</summary>
internal static class Scenarios
{
    public static readonly string RepoRoot = FindRepoRoot();

    public static string Tutorial => File.ReadAllText(Path.Combine(RepoRoot, "scenarios", "tutorial.json"));

    /// <summary>
    /// <paramref name="count"/> state updates spaced <paramref name="spacing"/> seconds apart over
    /// three flights, optionally with drops, additions and removals mixed in, and maybe a close.
    /// </summary>
    public static string Busy(int count, double spacing, bool close = false, int dropEvery = 0, double start = 0.05)
    {
        string[] states = ["scheduled", "on time", "delayed", "landing", "landed"];
        var timeline = new List<string>();
        for (int i = 0; i < count; i++)
        {
            string at = (start + (i * spacing)).ToString("0.####", CultureInfo.InvariantCulture);
            timeline.Add(i % 10 == 9
                ? $$"""{ "at": {{at}}, "event": "flightAddition", "data": { "flight": "N{{i}}", "origin": "Oslo", "arrival": "12:{{i % 60:00}}", "state": "new" } }"""
                : i % 10 == 4 && i > 10
                    ? $$"""{ "at": {{at}}, "event": "flightRemoval", "data": { "flight": "N{{i - 5}}" } }"""
                    : $$"""{ "at": {{at}}, "event": "flightStateUpdate", "data": { "flight": "F{{i % 3}}", "state": "{{states[i % states.Length]}}", "arrival": "09:{{i % 60:00}}" } }""");
            if (dropEvery > 0 && i % dropEvery == dropEvery - 1)
            {
                timeline.Add($$"""{ "at": {{at}}, "action": "drop" }""");
            }
        }

        if (close)
        {
            timeline.Add($$"""{ "at": {{(start + (count * spacing)).ToString("0.####", CultureInfo.InvariantCulture)}}, "event": "closedConnection" }""");
        }

        return $$"""
            {
              "name": "Busy",
              "flights": [
                { "flight": "F0", "origin": "Rome", "arrival": "08:00", "state": "" },
                { "flight": "F1", "origin": "Berlin", "arrival": "08:30", "state": "" },
                { "flight": "F2", "origin": "Tokyo", "arrival": "09:00", "state": "" }
              ],
              "timeline": [
                {{string.Join(",\n", timeline)}}
              ]
            }
            """;
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SseFlights.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("SseFlights.sln not found above " + AppContext.BaseDirectory);
    }
}
