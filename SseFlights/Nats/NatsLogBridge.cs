using Microsoft.Extensions.Logging;
using Serilog.Events;

namespace SseFlights.Nats;

/// <summary>
/// The NATS client's own logging, into our Serilog logger at Debug. The client logs every reconnect
/// attempt during an outage as an error and every consumer it recreates as a warning; what an operator
/// needs from those (the log unreachable, back again, a read retried) <see cref="NatsLog"/> says once,
/// at the right level. The bridge also keeps the last error the client logged: a failed first connect
/// throws "can not connect uris" and logs the socket's own reason (connection refused, no such host)
/// only here.
/// </summary>
internal sealed class NatsLogBridge(Serilog.ILogger log) : ILoggerFactory
{
    private Exception? _lastError;

    /// <summary>The last exception the client logged at Error or above, if any.</summary>
    public Exception? LastError => Volatile.Read(ref _lastError);

    public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) =>
        new Category(this, log.ForContext(Serilog.Core.Constants.SourceContextPropertyName, categoryName));

    public void AddProvider(ILoggerProvider provider)
    {
        // Only this bridge receives the client's logs.
    }

    public void Dispose()
    {
        // Nothing is held: the Serilog logger belongs to the caller.
    }

    private sealed class Category(NatsLogBridge bridge, Serilog.ILogger log) : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error || log.IsEnabled(Level(logLevel));

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error && exception is not null)
            {
                Volatile.Write(ref bridge._lastError, exception);
            }

            var level = Level(logLevel);
            if (log.IsEnabled(level))
            {
                log.Write(level, exception, "NATS client: {NatsMessage}", formatter(state, exception));
            }
        }

        /// <summary>Debug for all but the client's critical failures, which stay errors.</summary>
        private static LogEventLevel Level(LogLevel level) => level switch
        {
            LogLevel.Critical => LogEventLevel.Error,
            LogLevel.Trace => LogEventLevel.Verbose,
            _ => LogEventLevel.Debug,
        };
    }
}
