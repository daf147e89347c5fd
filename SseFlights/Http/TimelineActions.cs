using System.Net;
using System.Text.Json;
using Serilog;
using SseFlights.Hub;
using SseFlights.Scenario;
using SseFlights.Sources;

namespace SseFlights.Http;

/// <summary>
/// The control API's timeline actions: its state, drop, close, pause, resume and restart, on the scenario's
/// clock; with a live log (<paramref name="live"/>) the log's instead (drops and the close through it, the
/// rest refused). Each answers 204, or 409 once the board has closed.
/// </summary>
internal sealed class TimelineActions(EventHub hub, ScenarioSource player, ScenarioDefinition scenario, ILogger log, LiveControl? live)
{
    // Logged as the control API's, as every control action is.
    private readonly ILogger _log = log.ForContext<ControlEndpoints>();

    public Task StateAsync(HttpListenerResponse response)
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

    public Task DropAsync(HttpListenerResponse response)
    {
        if (live is not null)
        {
            return live.DropAsync(response);
        }

        int dropped = hub.DropAll();
        _log.Information("Control: dropped {Count} streams", dropped);
        return NoContentAsync(response);
    }

    public Task CloseAsync(HttpListenerResponse response)
    {
        if (live is not null)
        {
            return live.CloseAsync(response);
        }

        if (hub.PublishIf(TimelineEntry.CloseNow, canApply: null) is not { } frame)
        {
            return ClosedAsync(response);
        }

        _log.Information("Control: closed the board with event {EventId}; new streams get 204 No Content", frame.Id);
        return NoContentAsync(response);
    }

    public Task PauseAsync(HttpListenerResponse response)
    {
        if (live is not null)
        {
            return live.TimelineOwnedAsync(response, "pause");
        }

        bool paused = player.Pause();
        _log.Information(paused ? "Control: paused the timeline at {Seconds:0.###}s" : "Control: pause asked, already paused at {Seconds:0.###}s", player.State().ScenarioSeconds);
        return NoContentAsync(response);
    }

    public Task ResumeAsync(HttpListenerResponse response)
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

    public Task RestartAsync(HttpListenerResponse response)
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

    public static Task ClosedAsync(HttpListenerResponse response) =>
        Responses.TextAsync(response, 409, "Conflict: the board has closed; restart the server to play again.");

    private static Task NoContentAsync(HttpListenerResponse response)
    {
        Responses.Empty(response, 204);
        return Task.CompletedTask;
    }
}
