using System.CommandLine;
using SseFlights.Cli;
using SseFlights.Nats;
using SseFlights.Record;

namespace SseFlights;

/// <summary>The entry point: parses the command line and hands it to its command (the server, validate, record, publish, kit); the objects are built in <see cref="Composition"/>.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var commandLine = new CommandLine(ServerCommand.RunAsync, ValidateCommand.Run, RecordAsync, PublishAsync);
        commandLine.Root.Subcommands.Add(new KitArguments().Command(KitCommand.RunAsync));
        var parsed = commandLine.Root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // One line, no usage dump: the message says what would be right.
            Console.Error.WriteLine($"sseflights: {string.Join("; ", parsed.Errors.Select(e => e.Message))} (see --help)");
            return ExitCodes.Usage;
        }

        // Each command takes SIGINT and SIGTERM itself (StopSignals), so its own orderly stop always runs.
        return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }).ConfigureAwait(false);
    }

    private static async Task<int> RecordAsync(RecordOptions options, CancellationToken cancellationToken)
    {
        // Ctrl+C and SIGTERM stop the recording, and what was recorded is still written.
        using var signals = new StopSignals(cancellationToken);
        using var http = RecordCommand.CreateHttpClient();
        return await new RecordCommand(http, TimeProvider.System, Console.Out, Console.Error).RunAsync(options, signals.Stop).ConfigureAwait(false);
    }

    private static async Task<int> PublishAsync(PublishOptions options, CancellationToken cancellationToken)
    {
        // Ctrl+C and SIGTERM stop the feed cleanly (exit 0); what was published stays published.
        using var signals = new StopSignals(cancellationToken);
        await using var log = Logging.Create(ServerOptions.Defaults);
        return await new PublishCommand(TimeProvider.System, Console.Error, log).RunAsync(options, signals.Stop).ConfigureAwait(false);
    }
}
