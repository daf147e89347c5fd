using System.Globalization;
using SseFlights.Cli;
using SseFlights.Scenario;

namespace SseFlights;

/// <summary><c>sseflights validate</c>: loads a scenario strictly and prints what it holds, or every error with its position.</summary>
internal static class ValidateCommand
{
    public static int Run(string path)
    {
        try
        {
            var scenario = ScenarioLoader.LoadFile(path);
            string custom = scenario.CustomEvents.Count == 0 ? "none" : string.Join(", ", scenario.CustomEvents);
            Console.WriteLine($"{path}: OK");
            Console.WriteLine($"  name:          {scenario.Name}");
            Console.WriteLine($"  flights:       {scenario.Flights.Count}");
            int drops = scenario.DropCount;
            int live = scenario.Timeline.Count - scenario.EventCount - drops;
            Console.WriteLine($"  entries:       {scenario.Timeline.Count} ({scenario.EventCount} events, {drops} {(drops == 1 ? "drop" : "drops")}{(live == 0 ? "" : $", {live} live-only frames")})");
            Console.WriteLine($"  length:        {Describe(scenario)}");
            Console.WriteLine($"  custom events: {custom}");
            return ExitCodes.Ok;
        }
        catch (ScenarioException ex)
        {
            Console.Error.WriteLine($"{path}: {ex.Errors.Count} {(ex.Errors.Count == 1 ? "error" : "errors")}");
            foreach (string error in ex.Errors)
            {
                Console.Error.WriteLine($"  {error}");
            }

            return ExitCodes.Failure;
        }
    }

    public static string Describe(ScenarioDefinition scenario) => scenario.Repeat
        ? string.Create(CultureInfo.InvariantCulture, $"{scenario.Cycle:0.###} s cycle, repeating")
        : string.Create(CultureInfo.InvariantCulture, $"{scenario.Length:0.###} s, played once");
}
