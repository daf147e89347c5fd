using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace SseFlights.Cli;

/// <summary>
/// The <c>publish</c> subcommand's options, each checked with a message that says what would be right,
/// and the NATS options it shares with the server (<c>--nats</c>, <c>--nats-stream</c>, <c>--nats-creds</c>,
/// <c>--nats-max-msgs</c>), built here so both parse them alike.
/// </summary>
internal sealed class PublishArguments
{
    public const int MaxStreamName = 64;

    private readonly Option<string> _nats = NatsUrl("The NATS server to publish to, e.g. nats://localhost:4222 (credentials in the URL, or --nats-creds). [required]");
    private readonly Option<string> _stream = NatsStream();
    private readonly Option<string?> _creds = NatsCreds();
    private readonly Option<long> _maxMessages = NatsMaxMessages();
    private readonly Option<string> _scenario = new("--scenario", "-s")
    {
        Description = "The scenario whose timeline to publish. [required]",
        HelpName = "FILE",
    };
    private readonly Option<double> _speed = OptionParsers.Number("--speed", "X", 1.0, 1e-3, 1e6, "a number greater than 0 (at most 1000000)", "Play the timeline this many times faster.");

    public Command Command(Func<PublishOptions, CancellationToken, Task<int>> publish)
    {
        var command = new Command(
            "publish",
            "Play a scenario's timeline into a NATS JetStream stream, the live source of servers started with --nats (exits after the last entry, or on Ctrl+C; a repeating scenario runs until stopped).");
        foreach (Option option in new Option[] { _nats, _stream, _creds, _maxMessages, _scenario, _speed })
        {
            command.Options.Add(option);
        }

        // Required, with our own words: the parser's own "Option '--nats' is required." reads badly joined to others.
        command.Validators.Add(result =>
        {
            if (result.GetResult(_nats) is null)
            {
                result.AddError("publish needs --nats URL, the NATS server to publish to (e.g. nats://localhost:4222)");
            }

            if (result.GetResult(_scenario) is null)
            {
                result.AddError("publish needs --scenario FILE, the scenario to play");
            }
        });
        command.SetAction((result, cancellationToken) => publish(
            new PublishOptions(
                new NatsLogOptions(result.GetValue(_nats)!, result.GetValue(_stream)!, result.GetValue(_creds), result.GetValue(_maxMessages)),
                result.GetValue(_scenario)!,
                result.GetValue(_speed)),
            cancellationToken));
        return command;
    }

    /// <summary><c>--nats URL</c>: one NATS server URL, or several separated by commas.</summary>
    public static Option<string> NatsUrl(string description) => new("--nats")
    {
        Description = description,
        HelpName = "URL",
        CustomParser = result =>
        {
            string token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (!NatsUrls.IsValid(token))
            {
                result.AddError($"--nats must be a NATS server URL such as nats://localhost:4222 (or several, separated by commas); got '{NatsUrls.Redact(token)}'");
            }

            return token;
        },
    };

    /// <summary><c>--nats-stream NAME</c>: it names the stream, its subject and the snapshot bucket, so only characters all three allow.</summary>
    public static Option<string> NatsStream() => new("--nats-stream")
    {
        Description = "The JetStream stream of the board's entries; its subject is NAME.events, its snapshot bucket NAME-board.",
        HelpName = "NAME",
        DefaultValueFactory = _ => NatsLogOptions.DefaultStream,
        CustomParser = result =>
        {
            string token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (token.Length is 0 or > MaxStreamName || !token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                result.AddError($"--nats-stream must be 1 to {MaxStreamName} letters, digits, '-' or '_' (it names the stream, its subject NAME.events and the bucket NAME-board); got '{token}'");
            }

            return token;
        },
    };

    /// <summary><c>--nats-creds FILE</c>: read when connecting, so a missing file is reported like a missing scenario.</summary>
    public static Option<string?> NatsCreds() => new("--nats-creds")
    {
        Description = "A NATS credentials file (user JWT and seed). [default: none, or what the URL carries]",
        HelpName = "FILE",
        CustomParser = result =>
        {
            string token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (token.Trim().Length == 0)
            {
                result.AddError("--nats-creds must name a NATS credentials file; got ''");
            }

            return token;
        },
    };

    /// <summary><c>--nats-max-msgs N</c>: the stream's bound when it is created.</summary>
    public static Option<long> NatsMaxMessages() => OptionParsers.Number(
        "--nats-max-msgs", "N", NatsLogOptions.DefaultMaxMessages, 1, 1_000_000_000, "a whole number from 1 to 1000000000",
        "The most messages the stream keeps when this creates it (the oldest go first).");
}
