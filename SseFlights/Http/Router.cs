using System.Net;

namespace SseFlights.Http;

/// <summary>Maps a request to its endpoint by path and method; everything not ours is 404, a wrong method 405.</summary>
internal sealed class Router(EventStreamEndpoint events, ApiEndpoints api, StaticFileEndpoint files, CorsPolicy cors, MetricsEndpoint metrics, ControlEndpoints? control = null)
{
    private const string ReadMethods = "GET, HEAD, OPTIONS";

    public Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        if (RequestPath.Parse(OriginForm(request.RawUrl)) is not { } path)
        {
            return Responses.TextAsync(response, 400, "Bad request: the request target is malformed.");
        }

        // The control API takes bodies and never gets CORS headers; without --control it is not there (404 below).
        if (control is not null && ControlEndpoints.Owns(path.Path))
        {
            return control.HandleAsync(context, path.Path);
        }

        // A body on a read request would be left unread on the connection and parsed as the next request.
        if (request.HasEntityBody)
        {
            response.KeepAlive = false;
            return Responses.TextAsync(response, 400, "Bad request: this server takes no request bodies.");
        }

        string method = request.HttpMethod;
        bool head = method == "HEAD";
        bool read = method == "GET" || head;
        string allow = path.Path == "/events" ? "GET, OPTIONS" : ReadMethods;
        if (method == "OPTIONS")
        {
            cors.AnswerPreflight(request, response, allow);
            return Task.CompletedTask;
        }

        cors.Apply(request, response);
        if (path.Path == "/events" && method == "GET")
        {
            return control?.Faults.TryAnswer(context) ?? events.HandleAsync(context);
        }

        if (!read)
        {
            return Responses.MethodNotAllowedAsync(response, allow);
        }

        return path.Path switch
        {
            "/events" => Responses.MethodNotAllowedAsync(response, allow),
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
