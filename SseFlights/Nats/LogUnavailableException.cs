namespace SseFlights.Nats;

/// <summary>
/// The log could not be reached, or refused what was asked of it. The message is one complete line
/// for an operator (what failed, where, and why), with any credentials left out.
/// </summary>
internal sealed class LogUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
