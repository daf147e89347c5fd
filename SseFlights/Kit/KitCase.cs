using System.Text.RegularExpressions;
using SseFlights.Scenario;

namespace SseFlights.Kit;

/// <summary>One case of the client pack as the kit serves it: its name (its path segment) and its scenario.</summary>
internal sealed partial record KitCase(string Name, ScenarioDefinition Scenario)
{
    /// <summary>Where this case's stream is: every run of it shares the path and is told apart by <c>?run=</c>.</summary>
    public string StreamPath => $"/kit/cases/{Name}/events";

    /// <summary>
    /// The case's scenario for run <paramref name="run"/>: a redirect to the bare <c>/events</c> (the case as
    /// written for a server of its own) goes to this case's stream in the same run, its query kept.
    /// </summary>
    public ScenarioDefinition ForRun(string run) => Scenario with
    {
        Responses = [.. Scenario.Responses.Select(r => r.Rule.Location is { } location && (location == "/events" || location.StartsWith("/events?", StringComparison.Ordinal))
            ? r with { Rule = r.Rule with { Location = $"{StreamPath}?run={Uri.EscapeDataString(run)}{(location.Length > "/events?".Length ? "&" + location["/events?".Length..] : "")}" } }
            : r)],
    };

    /// <summary>
    /// Every event type a client could dispatch in the case, for a client that hears only the types it
    /// listens for (EventSource's addEventListener): 'message', the timeline's event names, the names
    /// in its raw frames' event: lines, and every type expect and its deviations name.
    /// </summary>
    public IReadOnlyList<string> EventTypes()
    {
        var expect = Scenario.Expect!;
        var fromRaw = Scenario.Timeline.Where(e => e.Kind == EntryKind.Raw)
            .SelectMany(e => EventField().Matches(e.Data)).Select(m => m.Groups["type"].Value);
        var fromTimeline = Scenario.Timeline.Where(e => e.IsEvent).Select(e => e.EventName);
        var expected = expect.Events.Concat(expect.Deviations.Values.SelectMany(d => d.Events ?? [])).Select(e => e.Type);
        return [.. new[] { "message" }.Concat(fromTimeline).Concat(fromRaw).Concat(expected).Where(t => t.Length > 0).Distinct()];
    }

    // An event: line of a raw frame (lines end with CR, LF or CRLF), its value less one leading space.
    [GeneratedRegex("(?:^|[\r\n])event: ?(?<type>[^\r\n]*)")]
    private static partial Regex EventField();
}
