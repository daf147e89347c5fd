using System.Net;

namespace SseFlights.Http;

/// <summary>
/// Maps a request to its endpoint by path and method; everything not ours is 404, a wrong method 405.
/// The stream is at <paramref name="streamPath"/>: /events, or a kit case's own path.
/// </summary>
internal sealed class Router(EventsResource events, ApiEndpoints api, StaticFileEndpoint files, CorsPolicy cors, MetricsEndpoint metrics, ControlEndpoints? control = null, string streamPath = "/events")
{
    private const string ReadMethods = "GET, HEAD, OPTIONS";

    /// <summary>Answers one request; <paramref name="lifetime"/> is the server's, cancelled when it begins to shut down.</summary>
    public Task HandleAsync(HttpListenerContext context, CancellationToken lifetime)
    {
        var request = context.Request;
        var response = context.Response;
        response.Headers["Server"] = ServerIdentity.Header;

        // HttpListener drops requests pipelined behind another (they are read with the first and
        // discarded), so every answer closes the connection: a pipelining client then resends them.
        response.KeepAlive = false;
        string method = request.HttpMethod;
        bool head = method == "HEAD";
        string? target = OriginForm(request.RawUrl);
        if (target?.Length > RequestPath.MaxLength)
        {
            // RFC 9110 §15.5.15's reason phrase, not the listener's older "Request-Uri Too Long".
            response.StatusDescription = "URI Too Long";
            return Responses.TextAsync(response, 414, $"URI too long: the request target is over {RequestPath.MaxLength} bytes.", head);
        }

        if (RequestPath.Parse(target) is not { } path)
        {
            return Responses.TextAsync(response, 400, "Bad request: the request target is malformed.", head);
        }

        // The control API takes bodies and never gets CORS headers. Without --control it is not there:
        // 404 for every method, with a body or not (it is left unread; the connection closes anyway).
        if (ControlEndpoints.Owns(path.Path))
        {
            return control is not null ? control.HandleAsync(context, path.Path) : Responses.NotFoundAsync(response, head);
        }

        // Every method on /events is the stream's to answer: it logs each request, and reads the body a listed method may carry.
        if (path.Path == streamPath)
        {
            return events.HandleAsync(context, lifetime);
        }

        // A body on a read request would be left unread on the connection and parsed as the next request.
        if (request.HasEntityBody)
        {
            return Responses.TextAsync(response, 400, "Bad request: this server takes no request bodies.", head);
        }

        bool read = method == "GET" || head;
        string allow = ReadMethods;
        if (method == "OPTIONS")
        {
            cors.AnswerPreflight(request, response, allow);
            return Task.CompletedTask;
        }

        cors.Apply(request, response);
        if (!read)
        {
            return Responses.MethodNotAllowedAsync(response, allow);
        }

        return path.Path switch
        {
            "/api/flights" => api.FlightsAsync(context, head),
            "/api/scenario" => api.ScenarioAsync(context, head),
            "/healthz" => api.HealthAsync(context, head),
            "/api/stats" => api.StatsAsync(context, head),
            "/metrics" => metrics.HandleAsync(context, head),
            _ => files.HandleAsync(context, path, head),
        };
    }

    /// <summary>An absolute-form target (RFC 9112 §3.2.2, "GET http://host/path") reduced to its path and query.</summary>
    private static string? OriginForm(string? target) =>
        target is not null && !target.StartsWith('/') && Uri.TryCreate(target, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri.GetComponents(UriComponents.PathAndQuery, UriFormat.UriEscaped)
            : target;
}
