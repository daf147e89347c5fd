namespace SseFlights.Http;

/// <summary>The server could not start listening; the message is one line for the user.</summary>
internal sealed class ServerStartException(string message, Exception? inner = null) : Exception(message, inner);
