using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.Json;
using SseFlights.Bench.Report;

namespace SseFlights.Bench.Cli;

/// <summary><c>report</c>: aggregates JSON-lines run results into RESULTS.md, results.json, p99-latency.svg and cost-growth.svg.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var runs = new Option<string[]>("--runs") { Description = "JSON-lines files of run results", Required = true, AllowMultipleArgumentsPerToken = true };
        var live = new Option<string[]>("--live") { Description = "JSON-lines files of live run results (sseflights-bench live), for their own section", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--out") { Description = "Folder for RESULTS.md, results.json, p99-latency.svg and cost-growth.svg", Required = true };
        var commit = new Option<string?>("--commit") { Description = "Commit the servers were built from, for the record" };
        var note = new Option<string?>("--note") { Description = "Extra words about the machine or tools (e.g. node version)" };
        var command = new Command("report", "Aggregate run results into the results report.") { runs, live, output, commit, note };
        command.SetAction(async (parse, ct) =>
        {
            var results = new List<RunResult>();
            foreach (string file in parse.GetValue(runs)!)
            {
                foreach (string line in await File.ReadAllLinesAsync(file, ct))
                {
                    if (line.Length == 0) continue;
                    results.Add(JsonSerializer.Deserialize(line, BenchJsonContext.Default.RunResult)
                        ?? throw new JsonException($"empty result line in {file}"));
                }
            }
            var liveResults = new List<LiveResult>();
            foreach (string file in parse.GetValue(live) ?? [])
            {
                foreach (string line in (await File.ReadAllLinesAsync(file, ct)).Where(l => l.Length > 0))
                {
                    liveResults.Add(JsonSerializer.Deserialize(line, BenchJsonContext.Default.LiveResult) ?? throw new JsonException($"empty result line in {file}"));
                }
            }
            string machine = Machine() + (parse.GetValue(note) is { } n ? $", {n}" : "");
            ReportDocument report = ResultsAggregator.Aggregate(results, liveResults, machine, parse.GetValue(commit));
            string folder = parse.GetValue(output)!;
            Directory.CreateDirectory(folder);
            string rawSource = string.Join(", ", parse.GetValue(runs)!.Select(f => Path.GetRelativePath(folder, f)));

            await File.WriteAllTextAsync(Path.Combine(folder, "RESULTS.md"), MarkdownReport.Render(report, rawSource) + LiveReport.Render(liveResults, report.Cells), ct);
            await File.WriteAllTextAsync(Path.Combine(folder, "results.json"),
                JsonSerializer.Serialize(report, BenchJsonContext.Default.ReportDocument), ct);
            await File.WriteAllTextAsync(Path.Combine(folder, "p99-latency.svg"), SvgChart.Render(report.Cells), ct);
            await File.WriteAllTextAsync(Path.Combine(folder, "cost-growth.svg"), SvgChart.RenderCostGrowth(report.CostGrowth), ct);
            await Console.Error.WriteLineAsync($"wrote {folder}/RESULTS.md, results.json, p99-latency.svg and cost-growth.svg from {results.Count} runs");
            return 0;
        });
        return command;
    }

    private static string Machine()
    {
        long memKiB = 0;
        foreach (string line in File.ReadLines("/proc/meminfo"))
        {
            if (!line.StartsWith("MemTotal:", StringComparison.Ordinal)) continue;
            memKiB = long.Parse(line[9..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            break;
        }
        return $"{Environment.ProcessorCount} cores, {memKiB / 1024.0 / 1024:0} GiB, {RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }
}
