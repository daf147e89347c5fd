using System.Net;
using System.Text.Json;
using Serilog;
using SseFlights.Hub;
using SseFlights.Scenario;
using SseFlights.Sources;

namespace SseFlights.Http;

/// <summary>
/// The control API when the timeline is a live log (<c>--nats</c>): an event, a drop or the close is
/// checked against this replica's board, appended to the log, and answered once this replica has read
/// it back, so every replica applies it at the same point; the answer's id is the log's sequence. Pause,
/// resume and restart answer 409: the timeline belongs to whoever publishes to the log.
/// </summary>
internal sealed class LiveControl(EventHub hub, ILiveTimeline timeline, ILogger log)
{
    private readonly ILogger _log = log.ForContext<LiveControl>();

    public Task StateAsync(HttpListenerResponse response)
    {
        var (lastId, closed) = hub.Progress();
        var body = new LiveControlState("live", timeline.Describe, lastId, closed, hub.ClientCount);
        return Responses.JsonAsync(response, JsonSerializer.SerializeToUtf8Bytes(body, ControlJsonContext.Default.LiveControlState));
    }

    /// <summary>An entry the control API has read (not a drop): a live-only frame goes straight to the log; an event is first checked against the board.</summary>
    public async Task EventAsync(HttpListenerResponse response, TimelineEntry entry, ScenarioErrors errors)
    {
        if (!entry.IsLiveOnly)
        {
            var board = hub.Board();
            if (board.Closed)
            {
                await ClosedAsync(response).ConfigureAwait(false);
                return;
            }

            if (SingleEntryReader.BoardProblem(entry, errors, [.. board.Flights.Select(f => f.Code)]) is { } problem)
            {
                await Responses.TextAsync(response, 422, problem).ConfigureAwait(false);
                return;
            }
        }

        var appended = await timeline.AppendAsync(entry, CancellationToken.None).ConfigureAwait(false);
        if (appended.Outcome is LiveAppendOutcome.Event or LiveAppendOutcome.Applied)
        {
            long? id = appended.Outcome == LiveAppendOutcome.Event ? appended.Sequence : null;
            _log.Information("Control: appended {Kind} {EventName} to the log as sequence {Sequence}: {Data}", entry.Kind, entry.EventName, appended.Sequence, entry.Data);
            await Responses.JsonAsync(response, JsonSerializer.SerializeToUtf8Bytes(new ControlCreated(id), ControlJsonContext.Default.ControlCreated), status: 201).ConfigureAwait(false);
            return;
        }

        await FailedAsync(response, appended).ConfigureAwait(false);
    }

    public async Task DropAsync(HttpListenerResponse response)
    {
        var appended = await timeline.AppendAsync(TimelineEntry.DropNow, CancellationToken.None).ConfigureAwait(false);
        if (appended.Outcome != LiveAppendOutcome.Applied)
        {
            await FailedAsync(response, appended).ConfigureAwait(false);
            return;
        }

        _log.Information("Control: appended a drop to the log as sequence {Sequence}", appended.Sequence);
        Responses.Empty(response, 204);
    }

    public async Task CloseAsync(HttpListenerResponse response)
    {
        if (hub.Progress().Closed)
        {
            await ClosedAsync(response).ConfigureAwait(false);
            return;
        }

        var appended = await timeline.AppendAsync(TimelineEntry.CloseNow, CancellationToken.None).ConfigureAwait(false);
        if (appended.Outcome != LiveAppendOutcome.Event)
        {
            await FailedAsync(response, appended).ConfigureAwait(false);
            return;
        }

        _log.Information("Control: appended the close to the log as sequence {Sequence}", appended.Sequence);
        Responses.Empty(response, 204);
    }

    /// <summary>Pause, resume, restart: the log's publisher keeps its own time.</summary>
    public Task TimelineOwnedAsync(HttpListenerResponse response, string action) =>
        Responses.TextAsync(response, 409, $"Conflict: with --nats the timeline belongs to its publisher, not to this server; {action} it there ({timeline.Describe}).");

    private Task FailedAsync(HttpListenerResponse response, LiveAppend appended)
    {
        switch (appended.Outcome)
        {
            case LiveAppendOutcome.Refused:
                _log.Information("Control: sequence {Sequence} was refused when it came back: {Reason}", appended.Sequence, appended.Reason);
                return Responses.TextAsync(response, 409, $"Conflict: the board changed before the log ordered this entry (sequence {appended.Sequence}), and it no longer applies: {appended.Reason}");
            case LiveAppendOutcome.AfterClose:
                return ClosedAsync(response);
            default:
                _log.Warning("Control: {Reason}", appended.Reason);
                response.Headers["Retry-After"] = "5";
                return Responses.TextAsync(response, 503, $"Service unavailable: {appended.Reason}.");
        }
    }

    private static Task ClosedAsync(HttpListenerResponse response) =>
        Responses.TextAsync(response, 409, "Conflict: the board has closed; a reset in the log opens it again.");
}
