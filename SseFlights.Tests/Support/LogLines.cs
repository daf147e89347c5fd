using System.Collections.Concurrent;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace SseFlights.Tests.Support;

/// <summary>A logger for a piece under test that keeps each line as the console renders it (strings unquoted), by level.</summary>
internal sealed class LogLines
{
    private readonly ConcurrentQueue<(LogEventLevel Level, string Text)> _lines = new();

    // Nothing to release (an in-memory sink), so the logger is never disposed.
    public LogLines() => Logger = new LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(new Sink(this)).CreateLogger();

    public ILogger Logger { get; }

    public IReadOnlyList<string> Warnings => [.. _lines.Where(l => l.Level == LogEventLevel.Warning).Select(l => l.Text)];

    public IReadOnlyList<string> AtOrAbove(LogEventLevel level) => [.. _lines.Where(l => l.Level >= level).Select(l => l.Text)];

    private sealed class Sink(LogLines lines) : ILogEventSink
    {
        private readonly MessageTemplateTextFormatter _format = new("{Message:lj}", System.Globalization.CultureInfo.InvariantCulture);

        public void Emit(LogEvent logEvent)
        {
            using var text = new StringWriter();
            _format.Format(logEvent, text);
            lines._lines.Enqueue((logEvent.Level, text.ToString()));
        }
    }
}
