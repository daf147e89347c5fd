using System.Text.Json;

namespace SseFlights.Scenario;

/// <summary>
/// Reads one timeline entry on its own (a control request's body, a recorded event) with the
/// loader's own readers, so its rules and messages are exactly a scenario file's.
/// </summary>
internal static class SingleEntryReader
{
    /// <summary>
    /// The entry in <paramref name="utf8"/>, and the positions to locate later errors with; throws
    /// <see cref="JsonException"/> on malformed JSON and <see cref="ScenarioException"/> on a bad entry.
    /// </summary>
    public static (TimelineEntry Entry, ScenarioErrors Errors) Read(byte[] utf8, string source, IReadOnlyList<string> customEvents, bool timed)
    {
        var positions = JsonPositionIndex.Build(utf8);
        using var document = JsonDocument.Parse(utf8);
        var errors = new ScenarioErrors(source, positions);
        foreach (string duplicate in positions.Duplicates)
        {
            errors.Add(duplicate, $"property '{duplicate[(duplicate.LastIndexOf('.') + 1)..]}' appears twice; keep one");
        }

        var entry = new TimelineReader(new JsonChecks(errors), customEvents, timed).Read(document.RootElement, "", 0);
        if (errors.Any || entry is null)
        {
            throw new ScenarioException(errors.Messages);
        }

        return (entry, errors);
    }

    /// <summary>The loader's board-presence message for <paramref name="entry"/>, located like any other error; null if it applies.</summary>
    public static string? BoardProblem(TimelineEntry entry, ScenarioErrors errors, IReadOnlyCollection<string> onBoard)
    {
        if (entry.Change is not { } change || ScenarioValidator.PresenceProblem(entry.Kind, change.Code, onBoard) is not { } problem)
        {
            return null;
        }

        errors.Add("data.flight", problem);
        return errors.Messages[^1];
    }
}
