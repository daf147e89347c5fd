using System.Net;

namespace SseFlights.Http;

/// <summary>
/// Cross-origin access for the origins given with --cors-origin, and nobody else. The header we
/// answer with is always our own configured string, never the request's, so nothing from the
/// request reaches a response header.
/// </summary>
internal sealed class CorsPolicy(IReadOnlyList<string> origins)
{
    private readonly bool _anyOrigin = origins.Contains("*");

    /// <summary>Adds the CORS headers when the request's Origin is allowed; true if it was.</summary>
    public bool Apply(HttpListenerRequest request, HttpListenerResponse response)
    {
        string? origin = request.Headers["Origin"];
        if (origin is null || origins.Count == 0)
        {
            return false;
        }

        if (_anyOrigin)
        {
            response.Headers["Access-Control-Allow-Origin"] = "*";
            return true;
        }

        foreach (string allowed in origins)
        {
            if (string.Equals(allowed, origin, StringComparison.OrdinalIgnoreCase))
            {
                response.Headers["Access-Control-Allow-Origin"] = allowed;
                response.Headers["Vary"] = "Origin";
                return true;
            }
        }

        response.Headers["Vary"] = "Origin";
        return false;
    }

    /// <summary>What a preflight allows by default: EventSource's own request (a GET, with Last-Event-ID and Cache-Control).</summary>
    public const string ReadMethods = "GET", StreamHeaders = "Last-Event-ID, Cache-Control";

    /// <summary>
    /// OPTIONS: 204, with the preflight answer when the origin is allowed: <paramref name="methods"/> and
    /// <paramref name="headers"/> are always our own lists (a stream's methods and the headers its clients may send).
    /// </summary>
    public void AnswerPreflight(HttpListenerRequest request, HttpListenerResponse response, string allow, string methods = ReadMethods, string headers = StreamHeaders)
    {
        response.Headers["Allow"] = allow;
        if (Apply(request, response))
        {
            response.Headers["Access-Control-Allow-Methods"] = methods;
            response.Headers["Access-Control-Allow-Headers"] = headers;
            response.Headers["Access-Control-Max-Age"] = "600";
        }

        Responses.Empty(response, 204);
    }
}
