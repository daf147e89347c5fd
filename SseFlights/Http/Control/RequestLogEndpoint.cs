using System.Net;
using System.Text.Json;
using Serilog;

namespace SseFlights.Http.Control;

/// <summary>
/// <c>GET /api/control/requests[?client=KEY]</c>: every request for <c>/events</c> the log keeps, oldest first
/// (one key's when asked); <c>DELETE /api/control/requests</c> forgets them. What a test checks a client's
/// requests with: its headers, its body, and its reconnection delays.
/// </summary>
internal sealed class RequestLogEndpoint(RequestLog log, ILogger logger)
{
    private readonly ILogger _log = logger.ForContext<RequestLogEndpoint>();

    public Task HandleAsync(HttpListenerContext context)
    {
        var response = context.Response;
        switch (context.Request.HttpMethod)
        {
            case "GET":
                var entries = log.Entries(context.Request.QueryString["client"]);
                return Responses.JsonAsync(response, JsonSerializer.SerializeToUtf8Bytes(entries, TestControlJson.Context.IReadOnlyListLoggedRequest));
            case "DELETE":
                int cleared = log.Clear();
                _log.Information("Control: cleared the request log ({Count} requests)", cleared);
                return Responses.JsonAsync(response, JsonSerializer.SerializeToUtf8Bytes(new ClearedAnswer(cleared), TestControlJson.Context.ClearedAnswer));
            default:
                return Responses.MethodNotAllowedAsync(response, "GET, DELETE");
        }
    }
}
