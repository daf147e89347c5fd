using System.Globalization;

namespace SseFlights.Scenario;

/// <summary>
/// The checks that span entries: time order, unique flight codes, flights present on the board
/// when an entry needs them (one cycle played on paper), and where closedConnection may stand.
/// </summary>
internal sealed class ScenarioValidator(ScenarioErrors errors)
{
    public void Validate(ScenarioDefinition scenario)
    {
        CheckFlightCodes(scenario.Flights);
        CheckTimes(scenario);
        CheckBoardPresence(scenario);
        CheckClose(scenario);
    }

    private void CheckFlightCodes(IReadOnlyList<Flight> flights)
    {
        var firstIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < flights.Count; i++)
        {
            if (!firstIndex.TryAdd(flights[i].Code, i))
            {
                errors.Add($"flights[{i}].flight", $"flight code '{flights[i].Code}' is already used by flights[{firstIndex[flights[i].Code]}]; flight codes must be unique");
            }
        }
    }

    private void CheckTimes(ScenarioDefinition scenario)
    {
        var timeline = scenario.Timeline;
        for (int i = 1; i < timeline.Count; i++)
        {
            if (timeline[i].At < timeline[i - 1].At)
            {
                errors.Add($"timeline[{timeline[i].Index}].at", $"{Seconds(timeline[i].At)} is earlier than the previous entry's {Seconds(timeline[i - 1].At)}; entries must be in time order");
            }
        }

        double last = timeline.Count == 0 ? 0 : timeline.Max(e => e.At);
        if (scenario.Repeat && scenario.Cycle is null)
        {
            errors.Add("repeat", $"\"repeat\": true needs \"cycle\", the length of one cycle in seconds, greater than the last \"at\" ({Seconds(last)})");
        }
        else if (!scenario.Repeat && scenario.Cycle is not null)
        {
            errors.Add("cycle", "\"cycle\" only applies with \"repeat\": true; remove it or set \"repeat\": true");
        }
        else if (scenario.Cycle is { } cycle && cycle <= last)
        {
            errors.Add("cycle", $"{Seconds(cycle)} must be greater than the last entry's \"at\" ({Seconds(last)})");
        }
    }

    private void CheckBoardPresence(ScenarioDefinition scenario)
    {
        var onBoard = new List<string>(scenario.Flights.Select(f => f.Code).Distinct());
        foreach (var entry in scenario.Timeline)
        {
            if (entry.Change is not { } change)
            {
                continue;
            }

            if (PresenceProblem(entry.Kind, change.Code, onBoard) is { } problem)
            {
                errors.Add($"timeline[{entry.Index}].data.flight", problem);
            }
            else if (entry.Kind == EntryKind.Addition)
            {
                onBoard.Add(change.Code);
            }
            else if (entry.Kind == EntryKind.Removal)
            {
                onBoard.Remove(change.Code);
            }
        }
    }

    /// <summary>Why a change of <paramref name="kind"/> to <paramref name="code"/> cannot apply to a board holding <paramref name="onBoard"/>, or null.</summary>
    public static string? PresenceProblem(EntryKind kind, string code, IReadOnlyCollection<string> onBoard)
    {
        bool present = onBoard.Contains(code);
        if (kind == EntryKind.Addition && present)
        {
            return $"flight '{code}' is already on the board at that point; use flightStateUpdate to change it";
        }

        if (kind != EntryKind.Addition && !present)
        {
            string board = onBoard.Count == 0 ? "the board is empty" : $"on the board then: {string.Join(", ", onBoard)}";
            return $"flight '{code}' is not on the board at that point ({board})";
        }

        return null;
    }

    private void CheckClose(ScenarioDefinition scenario)
    {
        var timeline = scenario.Timeline;
        for (int i = 0; i < timeline.Count; i++)
        {
            if (timeline[i].Kind != EntryKind.Close)
            {
                continue;
            }

            string path = $"timeline[{timeline[i].Index}]";
            if (scenario.Repeat)
            {
                errors.Add(path, "closedConnection is not allowed with \"repeat\": true (a repeating board never closes)");
            }
            else if (i != timeline.Count - 1)
            {
                errors.Add(path, $"closedConnection must be the last entry; {timeline.Count - 1 - i} more follow it");
            }
        }
    }

    private static string Seconds(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
