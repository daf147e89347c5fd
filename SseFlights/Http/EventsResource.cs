using System.Net;
using SseFlights.Scenario;

namespace SseFlights.Http;

/// <summary>
/// Every request for <c>/events</c>, whatever its method: recorded in the <see cref="RequestLog"/> first
/// (with its body, read to its end, for a method that may carry one), then answered. A method the scenario
/// lists gets the stream as a GET would; HEAD the head a GET would get; OPTIONS the CORS preflight; any
/// other 405 with Allow.
/// </summary>
internal sealed class EventsResource(EventStreamEndpoint stream, ScenarioDefinition scenario, CorsPolicy cors, RequestLog log)
{
    private readonly string _allow = string.Join(", ", [.. scenario.Methods, "HEAD", "OPTIONS"]);
    private readonly string _corsMethods = string.Join(", ", scenario.Methods);

    // The headers a client of this stream may send from another origin: EventSource's, a body's type, and the case's own.
    private readonly string _corsHeaders = string.Join(", ", new[] { "Last-Event-ID", "Cache-Control" }
        .Concat(scenario.Methods.Any(m => m != "GET") ? ["Content-Type"] : [])
        .Concat(scenario.ClientRequest.Headers.Keys).Distinct(StringComparer.OrdinalIgnoreCase));

    public async Task HandleAsync(HttpListenerContext context, CancellationToken lifetime)
    {
        var request = context.Request;
        var response = context.Response;
        string method = request.HttpMethod;
        bool listed = scenario.Methods.Contains(method);
        bool takesBody = listed && method != "GET";
        string? body = null;
        if (takesBody && request.HasEntityBody)
        {
            (bool fits, body) = await RequestBody.ReadAsync(request).ConfigureAwait(false);
            if (!fits)
            {
                Record(request, null);

                // RFC 9110 §15.5.14's reason phrase, not the listener's older "Request Entity Too Large".
                response.StatusDescription = "Content Too Large";
                await Responses.TextAsync(response, 413, $"Content too large: a request for the stream may carry at most {RequestBody.MaxBytes} bytes.").ConfigureAwait(false);
                return;
            }
        }

        var entry = Record(request, body);
        bool head = method == "HEAD";
        if (method == "OPTIONS")
        {
            cors.AnswerPreflight(request, response, _allow, _corsMethods, _corsHeaders);
            return;
        }

        if (!listed && !head)
        {
            await Responses.MethodNotAllowedAsync(response, _allow).ConfigureAwait(false);
            return;
        }

        // A body on a request that takes none would be left unread on the connection and parsed as the next request.
        if (request.HasEntityBody && !takesBody)
        {
            await Responses.TextAsync(response, 400, $"Bad request: a {method} for the stream carries no body.", head).ConfigureAwait(false);
            return;
        }

        cors.Apply(request, response);
        if (head)
        {
            await stream.HeadAsync(context).ConfigureAwait(false);
        }
        else
        {
            await stream.HandleAsync(context, lifetime, entry).ConfigureAwait(false);
        }
    }

    private LoggedRequest Record(HttpListenerRequest request, string? body) =>
        log.Record(request.QueryString["client"], request.HttpMethod, request.RawUrl ?? "", () => HeadersOf(request), body);

    /// <summary>Every header as received, in order (a name sent twice has its values joined with commas, as the listener keeps them).</summary>
    private static Dictionary<string, string> HeadersOf(HttpListenerRequest request)
    {
        var headers = new Dictionary<string, string>(request.Headers.Count, StringComparer.Ordinal);
        foreach (string? name in request.Headers.AllKeys)
        {
            if (name is not null)
            {
                headers[name] = request.Headers[name] ?? "";
            }
        }

        return headers;
    }
}
