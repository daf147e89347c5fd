using System.Net;
using SseFlights.Hub;

namespace SseFlights.Http;

/// <summary>The heads and short answers of <c>/events</c>: a stream's headers, and the 503 for a server that is full.</summary>
internal static class StreamAnswers
{
    /// <summary>How long a refused client should wait; the page waits this (plus jitter) before trying again.</summary>
    private const string RetryAfterSeconds = "5";

    public static Task RefuseAsync(HttpListenerResponse response, JoinPlan plan, bool headOnly)
    {
        response.Headers["Retry-After"] = RetryAfterSeconds;
        byte[] body = System.Text.Encoding.UTF8.GetBytes($"Service unavailable: {plan.Reason}; try again shortly.\n");
        return Responses.SendAsync(response, 503, "text/plain; charset=utf-8", body, headOnly);
    }

    public static void StreamHeaders(HttpListenerResponse response)
    {
        response.StatusCode = 200;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers["Cache-Control"] = "no-cache, no-transform";
        response.Headers["X-Accel-Buffering"] = "no";
        response.Headers["X-Content-Type-Options"] = "nosniff";
    }

    // The header wins over the query parameter, which exists for polyfills that cannot set headers.
    public static string? LastEventId(HttpListenerRequest request) =>
        request.Headers["Last-Event-ID"] ?? request.QueryString["lastEventId"];
}
