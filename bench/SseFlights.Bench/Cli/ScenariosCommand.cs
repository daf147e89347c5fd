using System.CommandLine;

namespace SseFlights.Bench.Cli;

/// <summary><c>scenarios</c>: writes steady.json, throughput.json, stall.json, storm.json, soak.json, close.json, scale.json and smoke.json.</summary>
internal static class ScenariosCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Folder to write the scenarios to", DefaultValueFactory = _ => "bench/scenarios" };
        var steadyRate = new Option<double>("--steady-rate") { Description = "Events per second of steady.json and storm.json", DefaultValueFactory = _ => 10 };
        var steadySeconds = new Option<double>("--steady-seconds") { Description = "Length of steady.json", DefaultValueFactory = _ => 300 };
        var tpRate = new Option<double>("--throughput-rate") { Description = "Events per wall-clock second offered by throughput.json", DefaultValueFactory = _ => 2000 };
        var tpSeconds = new Option<double>("--throughput-seconds") { Description = "Wall-clock seconds of the throughput flood", DefaultValueFactory = _ => 25 };
        var tpSpeed = new Option<double>("--throughput-speed") { Description = "The --speed throughput.json is meant to be played at", DefaultValueFactory = _ => 10 };
        var tpLead = new Option<double>("--throughput-lead") { Description = "Wall-clock seconds before the flood starts, for the clients to connect", DefaultValueFactory = _ => 5 };
        var dropAt = new Option<double>("--storm-drop-at") { Description = "Seconds at which storm.json drops every stream", DefaultValueFactory = _ => 25.05 };
        var stormSeconds = new Option<double>("--storm-seconds") { Description = "Length of storm.json", DefaultValueFactory = _ => 90 };
        var stallPadding = new Option<int>("--stall-padding") { Description = "Bytes each state of stall.json is padded to", DefaultValueFactory = _ => 2000 };
        var soakFirstDrop = new Option<double>("--soak-first-drop") { Description = "Seconds of soak.json's first drop (after the clients are in; between two events)", DefaultValueFactory = _ => 5.05 };
        var soakDropEvery = new Option<double>("--soak-drop-every") { Description = "Seconds between soak.json's drops (a multiple of the event spacing keeps them between events)", DefaultValueFactory = _ => 0.5 };
        var soakSeconds = new Option<double>("--soak-seconds") { Description = "Length of soak.json", DefaultValueFactory = _ => 240 };
        var closeAfter = new Option<double>("--close-after") { Description = "Seconds of steady events in close.json before its closedConnection", DefaultValueFactory = _ => 20 };
        var scaleDropAt = new Option<double>("--scale-drop-at") { Description = "Seconds at which scale.json (1 event/s) drops every stream (50 ms before an event keeps catch-up the reconnect's own time)", DefaultValueFactory = _ => 45.95 };
        var scaleSeconds = new Option<double>("--scale-seconds") { Description = "Length of scale.json", DefaultValueFactory = _ => 90 };
        soakDropEvery.Validators.Add(result =>
        {
            if (result.Tokens.Count == 0) return; // The default.
            string text = result.Tokens[0].Value;
            if (!double.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out double every) || every < 0.05)
            {
                result.AddError($"--soak-drop-every must be a number of seconds of at least 0.05, not '{text}'");
            }
        });
        var command = new Command("scenarios", "Write the bench scenario files.")
        {
            output, steadyRate, steadySeconds, tpRate, tpSeconds, tpSpeed, tpLead, dropAt, stormSeconds, stallPadding,
            soakFirstDrop, soakDropEvery, soakSeconds, closeAfter, scaleDropAt, scaleSeconds,
        };
        command.SetAction(parse =>
        {
            var set = new ScenarioSet(
                parse.GetValue(steadyRate), parse.GetValue(steadySeconds),
                parse.GetValue(tpRate), parse.GetValue(tpSeconds), parse.GetValue(tpSpeed), parse.GetValue(tpLead),
                parse.GetValue(dropAt), parse.GetValue(stormSeconds), parse.GetValue(stallPadding),
                parse.GetValue(soakFirstDrop), parse.GetValue(soakDropEvery), parse.GetValue(soakSeconds),
                parse.GetValue(closeAfter), parse.GetValue(scaleDropAt), parse.GetValue(scaleSeconds));
            string folder = parse.GetValue(output)!;
            set.WriteAll(folder);
            Console.Error.WriteLine($"wrote steady.json, throughput.json, stall.json, storm.json, soak.json, close.json, scale.json and smoke.json to {folder}");
            return 0;
        });
        return command;
    }
}
