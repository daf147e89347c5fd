using System.Net;
using System.Text;
using System.Text.Json;
using Serilog;
using SseFlights.Http.Control;
using SseFlights.Hub;
using SseFlights.Sources;
using SseFlights.Scenario;

namespace SseFlights.Http;

/// <summary>
/// /api/control/*: drive the live board (inject, drop, close, pause, resume, restart, and the actions in <c>more</c>).
/// Every request needs the bearer token; none gets CORS headers, so no other site's page can read
/// an answer. Injected events go through the hub's one publish path, so they are numbered, kept
/// and resent like the timeline's. With a live log (<paramref name="live"/>) the timeline is the log's:
/// events, drops and the close go through it, and pause, resume and restart are refused.
/// </summary>
/// <param name="more">Further actions by name (faults, the request log, the stepping clock), each answering its own methods.</param>
internal sealed class ControlEndpoints(EventHub hub, ScenarioSource player, ScenarioDefinition scenario, ControlAuth auth, ILogger log, IReadOnlyDictionary<string, Func<HttpListenerContext, Task>>? more = null, LiveControl? live = null)
{
    private readonly ILogger _log = log.ForContext<ControlEndpoints>();
    private readonly TimelineActions _timeline = new(hub, player, scenario, log, live);

    public static bool Owns(string path) => path == "/api/control" || path.StartsWith("/api/control/", StringComparison.Ordinal);

    public async Task HandleAsync(HttpListenerContext context, string path)
    {
        var response = context.Response;
        if (!auth.Allows(context.Request))
        {
            response.Headers["WWW-Authenticate"] = "Bearer";
            await Responses.TextAsync(response, 401, "Unauthorized: the control API needs Authorization: Bearer TOKEN.").ConfigureAwait(false);
            return;
        }

        string method = context.Request.HttpMethod;
        if (path == "/api/control")
        {
            await (method == "GET" ? _timeline.StateAsync(response) : Responses.MethodNotAllowedAsync(response, "GET")).ConfigureAwait(false);
            return;
        }

        string action = path["/api/control/".Length..];
        if (more?.GetValueOrDefault(action) is { } handle)
        {
            await handle(context).ConfigureAwait(false);
            return;
        }

        if (action is not ("events" or "drop" or "close" or "pause" or "resume" or "restart"))
        {
            await Responses.NotFoundAsync(response).ConfigureAwait(false);
            return;
        }

        if (method != "POST")
        {
            await Responses.MethodNotAllowedAsync(response, "POST").ConfigureAwait(false);
            return;
        }

        if (await RequestBody.ReadBytesAsync(context.Request).ConfigureAwait(false) is not { } body)
        {
            await ControlBody.TooLargeAsync(response).ConfigureAwait(false);
            return;
        }

        await (action switch
        {
            "events" => EventAsync(response, body),
            "drop" => _timeline.DropAsync(response),
            "close" => _timeline.CloseAsync(response),
            "pause" => _timeline.PauseAsync(response),
            "resume" => _timeline.ResumeAsync(response),
            _ => _timeline.RestartAsync(response),
        }).ConfigureAwait(false);
    }

    private Task EventAsync(HttpListenerResponse response, byte[] body)
    {
        TimelineEntry entry;
        ScenarioErrors errors;
        try
        {
            (entry, errors) = SingleEntryReader.Read(body, "request", scenario.CustomEvents, timed: false);
        }
        catch (JsonException ex)
        {
            return ControlBody.MalformedAsync(response, ex);
        }
        catch (ScenarioException ex)
        {
            return Responses.TextAsync(response, 422, string.Join("\n", ex.Errors));
        }

        if (entry.Kind == EntryKind.Drop)
        {
            return _timeline.DropAsync(response);
        }

        if (live is not null)
        {
            return live.EventAsync(response, entry, errors);
        }

        if (entry.IsLiveOnly)
        {
            // A comment, retry or raw frame: live-only like a heartbeat, so it gets no id and is never resent.
            hub.PublishLive(entry);
            _log.Information("Control: sent a live-only {Kind} frame to the open streams: {Data}", entry.Kind, entry.Data);
            return Responses.JsonAsync(response, JsonSerializer.SerializeToUtf8Bytes(new ControlCreated(null), ControlJsonContext.Default.ControlCreated), status: 201);
        }

        string? problem = null;
        var frame = hub.PublishIf(entry, onBoard => (problem = SingleEntryReader.BoardProblem(entry, errors, onBoard)) is null);
        if (frame is null)
        {
            return problem is null ? TimelineActions.ClosedAsync(response) : Responses.TextAsync(response, 422, problem);
        }

        _log.Information("Control: injected {EventName} as event {EventId}: {Data}", frame.EventType, frame.Id, entry.Data);
        return Responses.JsonAsync(response, JsonSerializer.SerializeToUtf8Bytes(new ControlCreated(frame.Id), ControlJsonContext.Default.ControlCreated), status: 201);
    }
}
