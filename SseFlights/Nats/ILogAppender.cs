namespace SseFlights.Nats;

/// <summary>Appends one message to the log; what the feeder and, with <c>--nats</c>, the control API publish through.</summary>
internal interface ILogAppender
{
    /// <summary>
    /// Appends <paramref name="body"/> and returns its sequence once the log has acknowledged it.
    /// <paramref name="messageId"/> lets the log drop a retried copy of the same message. Throws
    /// <see cref="LogUnavailableException"/> when the log cannot take it.
    /// </summary>
    Task<long> AppendAsync(ReadOnlyMemory<byte> body, string? messageId, CancellationToken cancellationToken);
}
