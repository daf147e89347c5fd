using System.CommandLine;
using System.Text.Json;
using SseFlights.Bench.Live;
using SseFlights.Bench.Report;

namespace SseFlights.Bench.Cli;

/// <summary>
/// <c>live</c>: the live path (issue #23) measured: nats-server, two sseflights replicas with <c>--nats</c>,
/// N streams on each and a publisher at a steady rate; latency from each message's publish to its arrival,
/// per replica; with <c>--source scripted</c>, the same layout playing the same events from the scenario. Prints one JSON line on stdout (and appends it to --out); exit 0 only if the run was clean.
/// </summary>
internal static class LiveCommand
{
    public static Command Create(CancellationToken stopping)
    {
        var server = new Option<string>("--server") { Description = "The sseflights executable (or .dll) to run as both replicas", Required = true };
        var nats = new Option<string>("--nats-server") { Description = "The nats-server executable", DefaultValueFactory = _ => "/usr/sbin/nats-server" };
        var clients = new Option<int>("--clients", "-n") { Description = "Streams on each replica", DefaultValueFactory = _ => 2000 };
        var rate = new Option<double>("--rate") { Description = "Events published per second", DefaultValueFactory = _ => 10 };
        var seconds = new Option<double>("--seconds") { Description = "Measurement window", DefaultValueFactory = _ => 30 };
        var settle = new Option<double>("--settle") { Description = "Publishing before the window opens", DefaultValueFactory = _ => 2 };
        var drain = new Option<double>("--drain") { Description = "Longest wait after the last publish for its event to arrive everywhere", DefaultValueFactory = _ => 5 };
        var concurrency = new Option<int>("--connect-concurrency") { Description = "Connects in flight at once per replica (0: no limit)", DefaultValueFactory = _ => 500 };
        var rep = new Option<int>("--rep") { Description = "Repetition number, for the results", DefaultValueFactory = _ => 1 };
        var logs = new Option<string>("--log-folder") { Description = "Folder for the replicas' output", DefaultValueFactory = _ => Path.GetTempPath() };
        var output = new Option<string?>("--out") { Description = "Append the result line to this JSON-lines file" };
        var source = new Option<LiveSource>("--source")
        {
            Description = "nats: the live path (a publisher, the log, --nats replicas); scripted: the same events from the scenario on both replicas (--epoch), the same layout",
            DefaultValueFactory = _ => LiveSource.Nats,
        };
        var pids = new Option<string?>("--pid-folder") { Description = "Write the PIDs of nats-server and the replicas here (live-*.pid), for a script to stop what a killed run left" };
        var command = new Command("live", "Measure the live path: two replicas on one NATS JetStream log, latency from publish to arrival.")
        {
            server, nats, clients, rate, seconds, settle, drain, concurrency, rep, logs, output, pids, source,
        };
        command.SetAction(async (parse, ct) =>
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, stopping);
            var settings = new LiveSettings(
                parse.GetValue(server)!, parse.GetValue(nats)!, parse.GetValue(clients), parse.GetValue(rate), parse.GetValue(seconds),
                parse.GetValue(settle), parse.GetValue(drain), parse.GetValue(concurrency), parse.GetValue(rep), parse.GetValue(logs)!, parse.GetValue(pids), parse.GetValue(source));
            await Console.Error.WriteLineAsync($"[sseflights live ({settings.Source}) N={settings.Clients} on each of 2 replicas, {settings.Rate} events/s, rep {settings.Rep}]");
            LiveResult result = await new LiveRun(settings, Console.Error).ExecuteAsync(linked.Token);
            string line = JsonSerializer.Serialize(result, BenchJsonContext.Default.LiveResult);
            Console.WriteLine(line);
            if (parse.GetValue(output) is { } file) await File.AppendAllTextAsync(file, line + "\n", linked.Token);
            foreach (var (replica, i) in result.Replicas.Select((r, i) => (r, i + 1)))
            {
                await Console.Error.WriteLineAsync($"  replica {i}: p50 {replica.Latency.P50Ms} ms, p99 {replica.Latency.P99Ms} ms, max {replica.Latency.MaxMs} ms over {replica.Latency.Count} deliveries");
            }

            foreach (string error in result.Errors) await Console.Error.WriteLineAsync($"  error: {error}");
            return result.Ok ? 0 : 1;
        });
        return command;
    }
}
