using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using SseFlights.Scenario;

namespace SseFlights.Tests.Support;

/// <summary>The client pack in scenarios/clients/, as the cross-client fixtures play it.</summary>
internal static partial class ClientPack
{
    public static readonly string Folder = Path.Combine(Scenarios.RepoRoot, "scenarios", "clients");

    /// <summary>Every case's name, in order.</summary>
    public static IEnumerable<string> Cases() => Directory.EnumerateFiles(Folder, "*.json").Select(Path.GetFileNameWithoutExtension).Order()!;

    public static ScenarioDefinition Load(string name) => ScenarioLoader.LoadFile(Path.Combine(Folder, name + ".json"));

    /// <summary>
    /// Every event type a client could dispatch in the case, for a client that hears only the types it
    /// listens for (EventSource's addEventListener): 'message', the timeline's event names, the names
    /// in its raw frames' event: lines, and every type expect and its deviations name.
    /// </summary>
    public static IReadOnlyList<string> EventTypes(ScenarioDefinition scenario)
    {
        var expect = scenario.Expect!;
        var fromRaw = scenario.Timeline.Where(e => e.Kind == EntryKind.Raw)
            .SelectMany(e => EventField().Matches(e.Data)).Select(m => m.Groups["type"].Value);
        var fromTimeline = scenario.Timeline.Where(e => e.IsEvent).Select(e => e.EventName);
        var expected = expect.Events.Concat(expect.Deviations.Values.SelectMany(d => d.Events ?? [])).Select(e => e.Type);
        return [.. new[] { "message" }.Concat(fromTimeline).Concat(fromRaw).Concat(expected).Where(t => t.Length > 0).Distinct()];
    }

    /// <summary>One line per event; long data (the 1 MiB case) by length and hash, so a failure prints a line, not a megabyte.</summary>
    public static string Describe(ExpectedEvent e) =>
        $"{e.Type} | {(e.Data.Length > 200 ? $"{e.Data.Length} chars, SHA-256 {Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(e.Data)))[..16]}" : e.Data)} | {e.LastEventId}";

    // An event: line of a raw frame (lines end with CR, LF or CRLF), its value less one leading space.
    [GeneratedRegex("(?:^|[\r\n])event: ?(?<type>[^\r\n]*)")]
    private static partial Regex EventField();
}
