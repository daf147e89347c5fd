using SseFlights.Cli;
using System.Globalization;
using Serilog;
using SseFlights.Scenario;

namespace SseFlights.Nats;

/// <summary>
/// <c>sseflights publish</c>: the feeder. Plays a scenario's timeline into the shared log on its own
/// clock (<see cref="ScenarioFeeder"/>), creating the stream if missing, and exits 0 once a scenario
/// played once has ended, or on Ctrl+C or SIGTERM; a repeating scenario runs until stopped. An invalid
/// scenario, an unreachable server or a failed publish get one line on stderr and exit 1.
/// </summary>
internal sealed class PublishCommand(TimeProvider time, TextWriter stderr, ILogger log)
{
    private readonly ILogger _log = log.ForContext<PublishCommand>();

    public async Task<int> RunAsync(PublishOptions options, CancellationToken stop)
    {
        ScenarioDefinition scenario;
        try
        {
            scenario = ScenarioLoader.LoadFile(options.ScenarioPath);
        }
        catch (ScenarioException ex)
        {
            await stderr.WriteLineAsync(ex.Errors.Count == 1
                ? $"sseflights publish: {ex.Errors[0]}"
                : $"sseflights publish: the scenario has {ex.Errors.Count} errors:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", ex.Errors)}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        try
        {
            await using var natsLog = await NatsLog.ConnectAsync(options.Log, time, log, stop).ConfigureAwait(false);
            var stream = await natsLog.EnsureStreamAsync(stop).ConfigureAwait(false);
            _log.Information(
                "Publishing {Scenario} ({Entries} entries, {Length}) to {Subject} at {NatsUrl}; the stream's last sequence is {LastSequence}",
                scenario.Name, scenario.Timeline.Count, Describe(scenario, options.Speed), options.Log.Subject, options.Log.DisplayUrl, stream.LastSequence);
            var feeder = new ScenarioFeeder(scenario, options.Speed, natsLog, time, log);
            var end = await feeder.RunAsync(resetFirst: stream.LastSequence > 0, stop).ConfigureAwait(false);
            _log.Information(
                end == FeedEnd.Ended ? "The scenario has ended: {Count} messages published" : "Stopped: {Count} messages published",
                feeder.Published);
            return ExitCodes.Ok;
        }
        catch (LogUnavailableException ex)
        {
            await stderr.WriteLineAsync($"sseflights publish: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped while connecting or opening the stream: nothing was published.
            _log.Information("Stopped before publishing");
            return ExitCodes.Ok;
        }
    }

    private static string Describe(ScenarioDefinition scenario, double speed)
    {
        string pace = speed == 1 ? "" : string.Create(CultureInfo.InvariantCulture, $" at {speed:0.###}x");
        return scenario.Repeat
            ? string.Create(CultureInfo.InvariantCulture, $"{scenario.Cycle:0.###} s cycle, repeating{pace}")
            : string.Create(CultureInfo.InvariantCulture, $"{scenario.Length:0.###} s, played once{pace}");
    }
}
