using Serilog;
using Serilog.Formatting.Json;

namespace SseFlights.Cli;

/// <summary>The console logger: a readable line per event, or one JSON object per line for machines.</summary>
internal static class Logging
{
    private const string TextTemplate = "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {Message:lj}{NewLine}{Exception}";

    /// <summary>The source of the start and stop lines, which show at any --log-level: they say where to look.</summary>
    public const string Lifecycle = "SseFlights.Lifecycle";

    public static Serilog.Core.Logger Create(ServerOptions options)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(options.LogLevel)
            .MinimumLevel.Override(Lifecycle, Serilog.Events.LogEventLevel.Information);
        return options.LogFormat == LogFormat.Json
            ? configuration.WriteTo.Console(new JsonFormatter(renderMessage: true)).CreateLogger()
            : configuration.WriteTo.Console(outputTemplate: TextTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture).CreateLogger();
    }
}
