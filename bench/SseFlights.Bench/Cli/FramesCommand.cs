using System.CommandLine;
using System.Text.Json;
using SseFlights.Bench.Scenario;

namespace SseFlights.Bench.Cli;

/// <summary><c>frames</c>: writes a scenario's frame list for the limit peer (the bench does it by
/// itself before it starts the peer; this is for running the peer by hand).</summary>
internal static class FramesCommand
{
    public static Command Create()
    {
        var scenario = new Option<string>("--scenario") { Description = "Scenario file (one the bench wrote)", Required = true };
        var output = new Option<string?>("--out") { Description = "Frame list to write (default: the scenario's name with .frames)" };
        var command = new Command("frames", "Write a scenario's pre-encoded frame list for bench/peers/limit.") { scenario, output };
        command.SetAction(parse =>
        {
            string source = parse.GetValue(scenario)!;
            string target = parse.GetValue(output) ?? Path.ChangeExtension(source, ".frames");
            try
            {
                FrameList.Write(source, target);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException or KeyNotFoundException)
            {
                Console.Error.WriteLine($"cannot write the frame list of {source}: {e.Message}");
                return 1;
            }
            Console.Error.WriteLine($"wrote {target}");
            return 0;
        });
        return command;
    }
}
