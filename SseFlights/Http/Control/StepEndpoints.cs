using System.Net;
using System.Text.Json;
using Serilog;
using SseFlights.Scenario;
using SseFlights.Sources;

namespace SseFlights.Http.Control;

/// <summary>
/// The clock a test drives: <c>POST /api/control/advance</c> plays the next entries, or up to a scenario second,
/// at once while the clock stands still (<c>--step</c>, or paused), and answers the ids it published;
/// <c>POST /api/control/release?client=KEY</c> lets the streams a <c>hold</c> rule held go on.
/// </summary>
internal sealed class StepEndpoints(ScenarioSource player, StreamHolds holds, ILogger log)
{
    private readonly ILogger _log = log.ForContext<StepEndpoints>();

    public async Task AdvanceAsync(HttpListenerContext context)
    {
        if (await ControlBody.ReadPostAsync(context, ReadTarget).ConfigureAwait(false) is not { } target)
        {
            return;
        }

        var response = context.Response;
        var result = player.Advance(target);
        switch (result.Refused)
        {
            case AdvanceRefusal.Running:
                await Responses.TextAsync(response, 409, "Conflict: the clock is running; advance needs it standing still (start with --step, or pause it).").ConfigureAwait(false);
                return;
            case AdvanceRefusal.Backwards:
                await Responses.TextAsync(response, 422, $"The clock only goes forward: it stands at {result.StandsAt:0.###} s, after {target.ToSeconds:0.###}.").ConfigureAwait(false);
                return;
        }

        _log.Information("Control: advanced the clock to {Seconds:0.###}s, publishing {Count} ids: {Ids}", result.StandsAt, result.Ids.Count, result.Ids);
        var answer = new AdvanceAnswer(result.Ids, Math.Round(result.StandsAt, 3));
        await Responses.JsonAsync(response, JsonSerializer.SerializeToUtf8Bytes(answer, TestControlJson.Context.AdvanceAnswer)).ConfigureAwait(false);
    }

    public async Task ReleaseAsync(HttpListenerContext context)
    {
        var response = context.Response;
        if (context.Request.HttpMethod != "POST")
        {
            await Responses.MethodNotAllowedAsync(response, "POST").ConfigureAwait(false);
            return;
        }

        // The body is ignored (curl -d '' sends an empty one); read, so it does not stay on the connection.
        await RequestBody.ReadAsync(context.Request).ConfigureAwait(false);
        if (context.Request.QueryString["client"] is not { } client)
        {
            await Responses.TextAsync(response, 400, "Bad request: name the client key whose streams go on: ?client=KEY (empty for requests without one).").ConfigureAwait(false);
            return;
        }

        int released = holds.Release(client);
        _log.Information("Control: released {Count} held streams of client {Client}", released, client);
        await Responses.JsonAsync(response, JsonSerializer.SerializeToUtf8Bytes(new ReleaseAnswer(released), TestControlJson.Context.ReleaseAnswer)).ConfigureAwait(false);
    }

    private static AdvanceTarget? ReadTarget(JsonElement root, JsonChecks checks)
    {
        checks.OnlyMembers(root, "", "entries", "to");
        bool entries = root.TryGetProperty("entries", out _), to = root.TryGetProperty("to", out _);
        if (entries == to)
        {
            checks.Errors.Add("", "give one of \"entries\" (how many timeline entries to play) and \"to\" (the scenario second to play up to)");
            return null;
        }

        return entries
            ? checks.WholeNumber(root, "", "entries", 1, 1_000_000, "a whole number of entries from 1 to 1000000") is { } n ? new AdvanceTarget(n, null) : null
            : checks.Number(root, "", "to", 0, TimelineReader.MaxSeconds, $"a number of seconds from 0 to {TimelineReader.MaxSeconds}") is { } s ? new AdvanceTarget(null, s) : null;
    }
}
