using System.Net.Sockets;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace SseFlights.Nats;

/// <summary>The NATS client's failures as the short reason an operator reads at the end of one line.</summary>
internal static class NatsErrors
{
    /// <summary>A request that got no answer: the server went away, or never acknowledged.</summary>
    public const string NoAnswer = "the server did not answer";

    /// <summary>The innermost cause's message on one line, without the client's "Server error: " prefix.</summary>
    public static string Describe(Exception exception)
    {
        var cause = exception;
        while (cause.InnerException is { } inner)
        {
            cause = inner;
        }

        string message = cause switch
        {
            SocketException socket => socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused",
                SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => "no such host",
                SocketError.TimedOut => "timed out",
                _ => socket.Message,
            },
            NatsServerException server => server.Message.Replace("Server error: ", "the server answered ", StringComparison.Ordinal),
            NatsNoReplyException or NatsTimeoutException or NatsJSPublishNoResponseException or OperationCanceledException => NoAnswer,
            NatsNoRespondersException => "JetStream did not answer (is the server running with -js?)",
            _ => cause.Message,
        };
        return string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim().TrimEnd('.');
    }
}
