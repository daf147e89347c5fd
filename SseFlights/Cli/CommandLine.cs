using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using Serilog.Events;

namespace SseFlights.Cli;

/// <summary>
/// The <c>sseflights</c> command line: options with their defaults shown in --help, each value
/// checked with a message that says what would be right. Parsing only; Program decides what runs.
/// </summary>
internal sealed class CommandLine
{
    private readonly Option<int> _port = OptionParsers.Number("--port", "PORT", 5000, 1, 65535, "a whole number from 1 to 65535", "Port to listen on.", "-p");
    private readonly Option<string> _host = new("--host")
    {
        Description = "Host to serve: localhost (answers localhost and 127.0.0.1, loopback only), or 0.0.0.0 / * for every interface.",
        DefaultValueFactory = _ => ServerOptions.Defaults.Host,
        CustomParser = OptionParsers.ParseHost,
    };
    private readonly Option<string?> _scenario = new("--scenario", "-s")
    {
        Description = "Scenario file to play. [default: the bundled scenario.json]",
        HelpName = "FILE",
    };
    private readonly Option<string?> _wwwroot = new("--wwwroot")
    {
        Description = "Folder to serve the page from. [default: the bundled page]",
        HelpName = "DIR",
    };
    private readonly Option<double> _speed = OptionParsers.Number("--speed", "X", 1.0, 1e-3, 1e6, "a number greater than 0 (at most 1000000)", "Play the timeline this many times faster.");
    private readonly Option<double> _heartbeat = OptionParsers.Number("--heartbeat", "SECONDS", 15.0, 0.05, 3600, "a number of seconds greater than 0 (at most 3600)", "Seconds of silence before a stream gets a heartbeat comment.");
    private readonly Option<int> _retry = OptionParsers.Number("--retry", "MS", 3000, 0, 86_400_000, "a whole number of milliseconds from 0 to 86400000", "The retry: value sent to clients, in milliseconds.");
    private readonly Option<int> _history = OptionParsers.Number("--history", "N", 1024, 0, 1_000_000, "a whole number from 0 to 1000000", "Events kept for resend after a reconnect.");
    private readonly Option<double> _drain = OptionParsers.Number("--drain", "SECONDS", 0.0, 0, 3600, "a number of seconds from 0 to 3600", "On SIGTERM or Ctrl+C, end the open streams spread evenly over this many seconds (a second signal ends the rest at once), so clients reconnect elsewhere a few at a time.");
    private readonly Option<int> _maxClients = OptionParsers.Number("--max-clients", "N", 10_000, 1, 1_000_000, "a whole number from 1 to 1000000", "Most event streams open at once; more get 503.");
    private readonly Option<DateTimeOffset?> _epoch = new("--epoch")
    {
        Description = "Instant the scenario clock starts from, ISO 8601 with Z or an offset, e.g. 2026-12-01T08:00:00Z; replicas given the same one play identical streams. [default: when the server starts]",
        HelpName = "TIME",
        CustomParser = OptionParsers.ParseEpoch,
    };
    private readonly Option<double> _skew = OptionParsers.Number("--skew", "SECONDS", 2.0, 0, 60, "a number of seconds from 0 to 60", "With --epoch: a Last-Event-ID this far ahead of this replica's clock is held until reached, not answered with a snapshot.");
    private readonly Option<string[]> _cors = new("--cors-origin")
    {
        Description = "Origin allowed to read the stream from another site (repeatable; '*' for any). [default: none]",
        HelpName = "ORIGIN",
        Arity = ArgumentArity.OneOrMore,
        CustomParser = OptionParsers.ParseOrigins,
    };
    private readonly Option<LogEventLevel> _logLevel = new("--log-level")
    {
        Description = "Least important log level shown: Verbose, Debug, Information, Warning, Error, Fatal.",
        HelpName = "LEVEL",
        DefaultValueFactory = _ => ServerOptions.Defaults.LogLevel,
        CustomParser = OptionParsers.ParseLogLevel,
    };
    private readonly Option<string> _logFormat = new("--log-format")
    {
        Description = "Log as readable text or as JSON lines.",
        HelpName = "text|json",
        DefaultValueFactory = _ => "text",
        CustomParser = OptionParsers.ParseLogFormat,
    };
    private readonly Option<bool> _control = new("--control")
    {
        Description = "Turn on the control API (/api/control/*), protected by a bearer token.",
    };
    private readonly Option<string?> _controlToken = new("--control-token")
    {
        Description = "The control API's token. [default: $SSEFLIGHTS_CONTROL_TOKEN, else a random one printed on stderr]",
        HelpName = "TOKEN",
        CustomParser = result =>
        {
            string token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (token.Trim().Length == 0 || token.Any(char.IsControl))
            {
                result.AddError("--control-token must be a non-empty token without spaces at its ends or control characters");
            }

            return token;
        },
    };
    private readonly Option<bool> _step = new("--step")
    {
        Description = "With --control: the scenario clock stands still; POST /api/control/advance plays entries at once.",
    };
    private readonly Option<string> _nats = PublishArguments.NatsUrl("Take live events from this NATS server's JetStream stream, e.g. nats://localhost:4222 (credentials in the URL, or --nats-creds).");
    private readonly Option<string> _natsStream = PublishArguments.NatsStream();
    private readonly Option<string?> _natsCreds = PublishArguments.NatsCreds();
    private readonly Option<long> _natsMaxMessages = PublishArguments.NatsMaxMessages();
    private readonly Option<int> _natsSnapshotEvery = OptionParsers.Number(
        "--nats-snapshot-every", "N", ServerOptions.DefaultNatsSnapshotEvery, 1, 1_000_000, "a whole number from 1 to 1000000",
        "With --nats: store the board as the newest snapshot every N entries, for replicas that start after older messages are gone.");
    private readonly Argument<string> _validateFile = new("FILE") { Description = "The scenario file to check." };
    private readonly RecordArguments _record = new();
    private readonly PublishArguments _publish = new();

    public CommandLine(
        Func<ServerOptions, CancellationToken, Task<int>> runServer,
        Func<string, int> validate,
        Func<RecordOptions, CancellationToken, Task<int>> record,
        Func<PublishOptions, CancellationToken, Task<int>> publish)
    {
        Root = new RootCommand("SseFlights: a live airport arrivals board and a scripted Server-Sent Events stream.");
        foreach (Option option in new Option[] { _port, _host, _scenario, _wwwroot, _speed, _epoch, _skew, _heartbeat, _retry, _history, _maxClients, _drain, _cors, _logLevel, _logFormat, _control, _controlToken, _step, _nats, _natsStream, _natsCreds, _natsMaxMessages, _natsSnapshotEvery })
        {
            Root.Options.Add(option);
        }

        Root.Validators.Add(CheckNats);
        Root.Validators.Add(result =>
        {
            if (result.GetResult(_step) is { Implicit: false } && result.GetResult(_control) is not { Implicit: false })
            {
                result.AddError("--step only applies with --control: the clock it stands still is moved by POST /api/control/advance");
            }
        });

        Root.SetAction((result, cancellationToken) => runServer(Bind(result), cancellationToken));

        var validateCommand = new Command("validate", "Check a scenario file, print its summary or every error, and exit.");
        validateCommand.Arguments.Add(_validateFile);
        validateCommand.SetAction(result => validate(result.GetValue(_validateFile)!));
        Root.Subcommands.Add(validateCommand);
        Root.Subcommands.Add(_record.Command(record));
        Root.Subcommands.Add(_publish.Command(publish));
    }

    public RootCommand Root { get; }

    private ServerOptions Bind(ParseResult result) => new(
        result.GetValue(_port),
        result.GetValue(_host)!,
        result.GetValue(_scenario),
        result.GetValue(_wwwroot),
        result.GetValue(_speed),
        result.GetValue(_heartbeat),
        result.GetValue(_retry),
        result.GetValue(_history),
        result.GetValue(_maxClients),
        result.GetValue(_cors) ?? [],
        result.GetValue(_logLevel),
        result.GetValue(_logFormat) == "json" ? LogFormat.Json : LogFormat.Text,
        result.GetValue(_control),
        result.GetValue(_controlToken))
    {
        Epoch = result.GetValue(_epoch),
        SkewSeconds = result.GetValue(_skew),
        DrainSeconds = result.GetValue(_drain),
        Step = result.GetValue(_step),
        NatsUrl = result.GetValue(_nats),
        NatsStream = result.GetValue(_natsStream)!,
        NatsCredsFile = result.GetValue(_natsCreds),
        NatsMaxMessages = result.GetValue(_natsMaxMessages),
        NatsSnapshotEvery = result.GetValue(_natsSnapshotEvery),
    };

    /// <summary>The NATS options that only mean something together: each needs --nats, and a snapshot must come before the bound discards.</summary>
    private void CheckNats(CommandResult result)
    {
        bool Given(Option option) => result.GetResult(option) is { Implicit: false };
        bool hasNats = Given(_nats);
        foreach (var option in new Option[] { _natsStream, _natsCreds, _natsMaxMessages, _natsSnapshotEvery }.Where(o => !hasNats && Given(o)))
        {
            result.AddError($"{option.Name} only applies with --nats URL");
        }

        // The log times the events; a clock's options would silently mean nothing.
        foreach (var option in new Option[] { _speed, _epoch, _skew, _step }.Where(o => hasNats && Given(o)))
        {
            result.AddError($"{option.Name} cannot be used with --nats: the log, not the scenario's clock, gives the events and their timing");
        }

        // Tokens, not values: a value that did not parse has its own error already.
        long? Token(Option option) => result.GetResult(option) is { Tokens: [.., var last] } && long.TryParse(last.Value, NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : null;
        long maxMessages = Given(_natsMaxMessages) ? Token(_natsMaxMessages) ?? long.MaxValue : NatsLogOptions.DefaultMaxMessages;
        long snapshotEvery = Given(_natsSnapshotEvery) ? Token(_natsSnapshotEvery) ?? 0 : ServerOptions.DefaultNatsSnapshotEvery;
        if (hasNats && snapshotEvery >= maxMessages)
        {
            result.AddError($"--nats-snapshot-every ({snapshotEvery}) must be less than --nats-max-msgs ({maxMessages}): a replica that starts later needs a snapshot newer than the oldest message the stream keeps");
        }
    }
}
