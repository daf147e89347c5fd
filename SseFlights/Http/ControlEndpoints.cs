using System.Net;
using System.Text;
using System.Text.Json;
using Serilog;
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
    public const int MaxBodyBytes = 64 * 1024;

    private static readonly TimelineEntry CloseEntry = new(0, 0, EntryKind.Close, EventNames.Close, "", null);
    private readonly ILogger _log = log.ForContext<ControlEndpoints>();

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
            await (method == "GET" ? StateAsync(response) : Responses.MethodNotAllowedAsync(response, "GET")).ConfigureAwait(false);
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

        byte[]? body = await ReadBodyAsync(context.Request).ConfigureAwait(false);
        if (body is null)
        {
            response.KeepAlive = false;
            await Responses.TextAsync(response, 413, $"Content too large: a control request body may be at most {MaxBodyBytes} bytes.").ConfigureAwait(false);
            return;
        }

        await (action switch
        {
            "events" => EventAsync(response, body),
            "drop" => DropAsync(response),
            "close" => CloseAsync(response),
            "pause" => PauseAsync(response),
            "resume" => ResumeAsync(response),
            _ => RestartAsync(response),
        }).ConfigureAwait(false);
    }

    private Task StateAsync(HttpListenerResponse response)
    {
        if (live is not null)
        {
            return live.StateAsync(response);
        }

        var state = player.State();
        var (lastId, closed) = hub.Progress();
        var next = state.NextEntry is { } index
            ? new ControlNext(index, KindOf(scenario.Timeline[index]), scenario.Timeline[index].IsEvent ? scenario.Timeline[index].EventName : null, Math.Round(state.NextAt!.Value, 3), state.NextInSeconds is { } s ? Math.Round(s, 3) : null)
            : null;
        var body = new ControlState(state.Paused ? "paused" : "playing", Math.Round(state.ScenarioSeconds, 3), state.Cycle + 1, next, lastId, closed, hub.ClientCount);
        return Responses.JsonAsync(response, JsonSerializer.SerializeToUtf8Bytes(body, ControlJsonContext.Default.ControlState));
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
            return Responses.TextAsync(response, 400, $"Bad request: malformed JSON at line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}.");
        }
        catch (ScenarioException ex)
        {
            return Responses.TextAsync(response, 422, string.Join("\n", ex.Errors));
        }

        if (entry.Kind == EntryKind.Drop)
        {
            return DropAsync(response);
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
            return problem is null ? ClosedAsync(response) : Responses.TextAsync(response, 422, problem);
        }

        _log.Information("Control: injected {EventName} as event {EventId}: {Data}", frame.EventType, frame.Id, entry.Data);
        return Responses.JsonAsync(response, JsonSerializer.SerializeToUtf8Bytes(new ControlCreated(frame.Id), ControlJsonContext.Default.ControlCreated), status: 201);
    }

    private Task DropAsync(HttpListenerResponse response)
    {
        if (live is not null)
        {
            return live.DropAsync(response);
        }

        int dropped = hub.DropAll();
        _log.Information("Control: dropped {Count} streams", dropped);
        return NoContentAsync(response);
    }

    private Task CloseAsync(HttpListenerResponse response)
    {
        if (live is not null)
        {
            return live.CloseAsync(response);
        }

        if (hub.PublishIf(CloseEntry, canApply: null) is not { } frame)
        {
            return ClosedAsync(response);
        }

        _log.Information("Control: closed the board with event {EventId}; new streams get 204 No Content", frame.Id);
        return NoContentAsync(response);
    }

    private Task PauseAsync(HttpListenerResponse response)
    {
        if (live is not null)
        {
            return live.TimelineOwnedAsync(response, "pause");
        }

        bool paused = player.Pause();
        _log.Information(paused ? "Control: paused the timeline at {Seconds:0.###}s" : "Control: pause asked, already paused at {Seconds:0.###}s", player.State().ScenarioSeconds);
        return NoContentAsync(response);
    }

    private Task ResumeAsync(HttpListenerResponse response)
    {
        if (live is not null)
        {
            return live.TimelineOwnedAsync(response, "resume");
        }

        if (player.Resume() is { } pause)
        {
            _log.Information("Control: resumed the timeline after a pause of {Seconds:0.###}s; later entries shift by it", pause.TotalSeconds);
        }
        else
        {
            _log.Information("Control: resume asked, the timeline was playing");
        }

        return NoContentAsync(response);
    }

    private Task RestartAsync(HttpListenerResponse response)
    {
        if (live is not null)
        {
            return live.TimelineOwnedAsync(response, "restart");
        }

        if (hub.Progress().Closed)
        {
            return ClosedAsync(response);
        }

        var snapshot = player.Restart();
        _log.Information("Control: restarted the scenario; board reset, snapshot sent as event {EventId}", snapshot.Id);
        return NoContentAsync(response);
    }

    /// <summary>What a timeline entry is, as GET /api/control names it.</summary>
    private static string KindOf(TimelineEntry entry) => entry.Kind switch
    {
        EntryKind.Drop => "drop",
        EntryKind.Comment => "comment",
        EntryKind.Retry => "retry",
        EntryKind.Raw => "raw",
        _ => "event",
    };

    private static Task ClosedAsync(HttpListenerResponse response) =>
        Responses.TextAsync(response, 409, "Conflict: the board has closed; restart the server to play again.");

    private static Task NoContentAsync(HttpListenerResponse response)
    {
        Responses.Empty(response, 204);
        return Task.CompletedTask;
    }

    /// <summary>The whole body, or null if it is over <see cref="MaxBodyBytes"/> (read no further than that).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpListenerRequest request)
    {
        if (request.ContentLength64 > MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.InputStream.ReadAsync(chunk).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
