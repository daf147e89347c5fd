using System.Net;
using System.Text.Json;
using SseFlights.Http;
using SseFlights.Http.Control;

namespace SseFlights.Kit;

/// <summary>
/// The kit's paths: its page (<c>/kit/</c>, the embedded files under wwwroot/kit/), the pack it grades
/// with (<c>/kit/pack.json</c>), each case's stream (<c>/kit/cases/NAME/events?run=ID</c>, any method,
/// answered by that run's own server), each run's request log (<c>/kit/cases/NAME/requests?run=ID</c>) and
/// <c>/healthz</c>.
/// </summary>
internal sealed class KitRouter(IReadOnlyList<KitCase> cases, KitRuns runs, StaticFileEndpoint files)
{
    /// <summary>The longest run id: a page makes a short random one.</summary>
    public const int MaxRunLength = 64;

    private readonly Dictionary<string, KitCase> _cases = cases.ToDictionary(c => c.Name, StringComparer.Ordinal);
    private readonly byte[] _pack = KitPackJson.Write(cases);

    public Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        response.Headers["Server"] = ServerIdentity.Header;
        bool head = request.HttpMethod == "HEAD";
        if (RequestPath.Parse(request.RawUrl) is not { } path)
        {
            response.KeepAlive = false;
            return Responses.TextAsync(response, 400, "Bad request: the request target is malformed.", head);
        }

        // A case's stream takes every method (its run's server answers 405 for the ones it does not list).
        if (path.Segments is ["kit", "cases", var streamCase, "events"])
        {
            return StreamAsync(context, streamCase);
        }

        // Every other answer closes the connection, as the board server's do (HttpListener drops pipelined requests).
        response.KeepAlive = false;
        if (request.HasEntityBody)
        {
            return Responses.TextAsync(response, 400, "Bad request: the kit takes request bodies only on a case's stream.", head);
        }

        if (request.HttpMethod is not ("GET" or "HEAD"))
        {
            return Responses.MethodNotAllowedAsync(response, "GET, HEAD");
        }

        switch (path.Segments)
        {
            case [] or [""] or ["kit"]:
                response.Headers["Location"] = "/kit/";
                return Responses.TextAsync(response, 302, "The kit is at /kit/.", head);
            case ["healthz"]:
                return Responses.JsonAsync(response, System.Text.Encoding.UTF8.GetBytes($"{{\"status\":\"ok\",\"cases\":{_cases.Count},\"runs\":{runs.Count}}}"), head);
            case ["kit", "pack.json"]:
                response.Headers["Cache-Control"] = "no-cache";
                return Responses.JsonAsync(response, _pack, head);
            case ["kit", "cases", var name, "requests"]:
                return RequestsAsync(context, name, head);
            case ["kit", ..]:
                return files.HandleAsync(context, path, head);
            default:
                return Responses.NotFoundAsync(response, head);
        }
    }

    private Task StreamAsync(HttpListenerContext context, string name)
    {
        var response = context.Response;
        bool head = context.Request.HttpMethod == "HEAD";
        if (!_cases.TryGetValue(name, out var kitCase))
        {
            response.KeepAlive = false;
            return Responses.TextAsync(response, 404, $"Not found: the pack has no case '{name}' (see /kit/pack.json).", head);
        }

        if (RunOf(context.Request) is not { } run)
        {
            response.KeepAlive = false;
            return Responses.TextAsync(response, 400, RunProblem, head);
        }

        switch (runs.Serve(kitCase, run, context))
        {
            case KitServe.Served:
                return Task.CompletedTask;
            case KitServe.Full:
                response.Headers["Retry-After"] = "60";
                return Responses.TextAsync(response, 503, $"Too many runs at once (at most {KitRuns.MaxRuns}); try again in a minute.", head);
            default:
                return Responses.TextAsync(response, 503, "The kit is shutting down.", head);
        }
    }

    private Task RequestsAsync(HttpListenerContext context, string name, bool head)
    {
        var response = context.Response;
        if (!_cases.TryGetValue(name, out var kitCase))
        {
            return Responses.TextAsync(response, 404, $"Not found: the pack has no case '{name}' (see /kit/pack.json).", head);
        }

        if (RunOf(context.Request) is not { } run)
        {
            return Responses.TextAsync(response, 400, RunProblem, head);
        }

        if (runs.Requests(kitCase, run) is not { } log)
        {
            return Responses.TextAsync(response, 404, $"Not found: case '{name}' has no live run '{run}' (a run lives {KitRuns.Lifetime.TotalMinutes:0} minutes from its first request).", head);
        }

        response.Headers["Cache-Control"] = "no-store";
        return Responses.JsonAsync(response, JsonSerializer.SerializeToUtf8Bytes(log, TestControlJson.Context.IReadOnlyListLoggedRequest), head);
    }

    private const string RunProblem = "Bad request: a case's stream needs ?run=ID, 1 to 64 letters, digits, '-' or '_', the same for every request of one run.";

    /// <summary>The request's run id, or null when it has none or a malformed one.</summary>
    private static string? RunOf(HttpListenerRequest request) =>
        request.QueryString["run"] is { Length: > 0 and <= MaxRunLength } run && run.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? run : null;
}
