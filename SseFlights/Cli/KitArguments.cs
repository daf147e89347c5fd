using System.CommandLine;

namespace SseFlights.Cli;

/// <summary>What <c>sseflights kit</c> serves on: the same --port and --host rules as the board server.</summary>
internal sealed record KitOptions(int Port, string Host);

/// <summary>The <c>kit</c> subcommand's arguments, each checked with a message that says what would be right.</summary>
internal sealed class KitArguments
{
    private readonly Option<int> _port = OptionParsers.Number("--port", "PORT", ServerOptions.Defaults.Port, 1, 65535, "a whole number from 1 to 65535", "Port to listen on.");
    private readonly Option<string> _host = new("--host")
    {
        Description = "Host to serve: localhost (answers localhost and 127.0.0.1, loopback only), or 0.0.0.0 / * for every interface (to grade a phone's browser).",
        DefaultValueFactory = _ => ServerOptions.Defaults.Host,
        CustomParser = OptionParsers.ParseHost,
    };

    public Command Command(Func<KitOptions, CancellationToken, Task<int>> kit)
    {
        var command = new Command("kit", "Serve every case of the bundled client pack at once, and /kit/, a page that grades the browser that opens it.");
        command.Options.Add(_port);
        command.Options.Add(_host);
        command.SetAction((result, cancellationToken) => kit(new KitOptions(result.GetValue(_port), result.GetValue(_host)!), cancellationToken));
        return command;
    }
}
