namespace SseFlights.Nats;

/// <summary>Reads one message of the log by its sequence: what resending events older than a replica's history needs.</summary>
internal interface ILogReader
{
    /// <summary>
    /// The message at <paramref name="sequence"/>, or null when the log holds none there (discarded by its
    /// bound, or not written yet). Throws <see cref="LogUnavailableException"/> when the log cannot be read.
    /// </summary>
    Task<LogRecord?> GetAsync(long sequence, CancellationToken cancellationToken);
}
