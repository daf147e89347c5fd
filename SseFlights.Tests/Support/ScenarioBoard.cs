using System.Text.Json;

namespace SseFlights.Tests.Support;

/// <summary>
/// What the board must be after a given id, worked out from the scenario file alone (no server):
/// its flights, then its events in timeline order, numbered from 1 (drops take no id). For a
/// scenario played once, so it is the truth every replica and every client has to agree with.
/// </summary>
internal static class ScenarioBoard
{
    /// <summary>The rows, in board order, once every event up to and including <paramref name="id"/> has been applied.</summary>
    public static List<Dictionary<string, string>> At(string scenarioJson, long id)
    {
        using var scenario = JsonDocument.Parse(scenarioJson);
        var root = scenario.RootElement;
        Assert.That(root.TryGetProperty("repeat", out var repeat) && repeat.GetBoolean(), Is.False, "only for a scenario played once");
        var board = BoardClient.Rows(root.GetProperty("flights"));
        long next = 1;
        double previousAt = 0;
        foreach (var entry in root.GetProperty("timeline").EnumerateArray())
        {
            double at = entry.GetProperty("at").GetDouble();
            Assert.That(at, Is.GreaterThanOrEqualTo(previousAt), "the timeline must be in time order for its ids to be its order");
            previousAt = at;
            if (!entry.TryGetProperty("event", out var name))
            {
                continue;
            }

            if (next++ > id)
            {
                break;
            }

            if (entry.TryGetProperty("data", out var data))
            {
                BoardClient.ApplyBoardEvent(board, name.GetString()!, data.GetRawText());
            }
        }

        Assert.That(next, Is.GreaterThan(id), $"the scenario has no id {id}");
        return board;
    }
}
