using Serilog;
using SseFlights.Cli;
using SseFlights.Http;
using SseFlights.Http.Listener;
using SseFlights.Scenario;

namespace SseFlights;

/// <summary>The server command: loads the scenario and the page, builds the server, runs it until a signal and shuts it down in order.</summary>
internal static class ServerCommand
{
    public static async Task<int> RunAsync(ServerOptions options, CancellationToken cancellationToken)
    {
        var (writePath, writePathError) = WritePaths.FromEnvironment(Environment.GetEnvironmentVariable(WritePaths.Variable));
        if (writePathError is not null)
        {
            Console.Error.WriteLine($"sseflights: {writePathError}");
            return ExitCodes.Usage;
        }

        ScenarioDefinition scenario;
        IFileSource files;
        string scenarioSha256;
        try
        {
            scenario = options.ScenarioPath is null ? ScenarioLoader.LoadBundled() : ScenarioLoader.LoadFile(options.ScenarioPath);
            scenarioSha256 = ScenarioFingerprint.Sha256(options.ScenarioPath);
            files = OpenWebRoot(options.WwwRoot);
        }
        catch (ScenarioException ex)
        {
            Console.Error.WriteLine(ex.Errors.Count == 1
                ? $"sseflights: {ex.Errors[0]}"
                : $"sseflights: the scenario has {ex.Errors.Count} errors:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", ex.Errors)}");
            return ExitCodes.Failure;
        }
        catch (Exception ex) when (ex is DirectoryNotFoundException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"sseflights: {ex.Message}");
            return ExitCodes.Failure;
        }

        // Replicas must stay identical, and a control call changes one of them only.
        if (options.Control && options.Epoch is not null)
        {
            Console.Error.WriteLine("sseflights: --control cannot be used with --epoch: replicas must play the same frames, and a control call would change only this one (see --help)");
            return ExitCodes.Usage;
        }

        if (options.Control)
        {
            options = WithControlToken(options);
        }

        Log.Logger = Logging.Create(options);
        var lifecycle = Log.ForContext(Serilog.Core.Constants.SourceContextPropertyName, Logging.Lifecycle);
        // A second signal during a --drain ends the streams still open at once.
        using var signals = new StopSignals(cancellationToken);
        try
        {
            var internals = ListenerInternals.Probe(writePath);
            await using var server = Composition.BuildServer(options, scenario, files, TimeProvider.System, Log.Logger, scenarioSha256, internals);
            server.Start();
            internals.Describe(Log.Logger);

            if (ListenerPrefixes.IsAllInterfaces(options.Host))
            {
                Log.Warning("Listening on every interface (--host {Host}): the board is now reachable from the network", options.Host);
            }

            string url = ListenerPrefixes.BaseUrl(options.Host, options.Port);
            if (options.NatsUrl is { } nats)
            {
                lifecycle.Information(
                    "SseFlights is live: open {PageUrl} for the board, stream {StreamUrl}; events from the stream {NatsStream} at {NatsUrl}; scenario {Scenario}: {Flights} flights",
                    url, url + "events", options.NatsStream, NatsUrls.Redact(nats), scenario.Name, scenario.Flights.Count);
            }
            else
            {
                lifecycle.Information(
                    "SseFlights is live: open {PageUrl} for the board, stream {StreamUrl}; scenario {Scenario}: {Flights} flights, {Entries} entries, {Length}",
                    url, url + "events", scenario.Name, scenario.Flights.Count, scenario.Timeline.Count, ValidateCommand.Describe(scenario));
            }
            if (await server.RunAsync(signals.Stop, TimeSpan.FromSeconds(options.DrainSeconds), signals.StopNow).ConfigureAwait(false) == ServerExit.ClockFailed)
            {
                lifecycle.Error("Stopped after the scenario clock failed; exiting with {ExitCode}", ExitCodes.Failure);
                return ExitCodes.Failure;
            }

            lifecycle.Information("Stopped cleanly");
            return ExitCodes.Ok;
        }
        catch (ServerStartException ex)
        {
            Log.CloseAndFlush();
            Console.Error.WriteLine($"sseflights: {ex.Message}");
            return ExitCodes.Failure;
        }
        catch (Exception ex)
        {
            Log.Fatal(ex, "The server stopped unexpectedly");
            return ExitCodes.Failure;
        }
        finally
        {
            await Log.CloseAndFlushAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The token from --control-token, else the environment, else a random one shown once on stderr.</summary>
    private static ServerOptions WithControlToken(ServerOptions options)
    {
        string? token = options.ControlToken ?? Environment.GetEnvironmentVariable("SSEFLIGHTS_CONTROL_TOKEN");
        if (string.IsNullOrWhiteSpace(token))
        {
            token = ControlAuth.NewToken();
            Console.Error.WriteLine($"sseflights: control API token: {token}");
        }

        return options with { ControlToken = token.Trim() };
    }

    private static IFileSource OpenWebRoot(string? path)
    {
        if (path is null)
        {
            return new EmbeddedFileSource();
        }

        return Directory.Exists(path)
            ? new DiskFileSource(path)
            : throw new DirectoryNotFoundException($"--wwwroot: the folder '{path}' does not exist");
    }
}
