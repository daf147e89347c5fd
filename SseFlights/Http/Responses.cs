using System.Net;
using System.Text;

namespace SseFlights.Http;

/// <summary>Small, complete responses: a status, a body with its length, and the connection handed back.</summary>
internal static class Responses
{
    public static async Task SendAsync(HttpListenerResponse response, int status, string contentType, byte[] body, bool headOnly = false)
    {
        response.StatusCode = status;
        response.ContentType = contentType;
        response.Headers["X-Content-Type-Options"] = "nosniff";
        response.ContentLength64 = body.Length;
        if (!headOnly && body.Length > 0)
        {
            await response.OutputStream.WriteAsync(body).ConfigureAwait(false);
        }

        response.Close();
    }

    public static Task JsonAsync(HttpListenerResponse response, byte[] json, bool headOnly = false, int status = 200)
    {
        response.Headers["Cache-Control"] = "no-store";
        return SendAsync(response, status, "application/json; charset=utf-8", json, headOnly);
    }

    /// <summary>An error with a one-line plain-text reason that never includes request data.</summary>
    /// <remarks>
    /// A HEAD answer gets the same head and no body, whatever the status: HttpListener sends whatever
    /// is written after a HEAD's head, and those bytes would be read as the next response.
    /// </remarks>
    public static Task TextAsync(HttpListenerResponse response, int status, string reason, bool headOnly = false) =>
        SendAsync(response, status, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(reason + "\n"), headOnly);

    public static Task MethodNotAllowedAsync(HttpListenerResponse response, string allow, bool headOnly = false)
    {
        response.Headers["Allow"] = allow;
        return TextAsync(response, 405, $"Method not allowed; use {allow}.", headOnly);
    }

    public static Task NotFoundAsync(HttpListenerResponse response, bool headOnly = false) => TextAsync(response, 404, "Not found.", headOnly);

    public static void Empty(HttpListenerResponse response, int status)
    {
        response.StatusCode = status;
        response.ContentLength64 = 0;
        response.Close();
    }
}
