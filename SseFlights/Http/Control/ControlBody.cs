using System.Text.Json;
using SseFlights.Scenario;

namespace SseFlights.Http.Control;

/// <summary>
/// A control request's JSON body read with the scenario loader's own checks, so its rules and messages are
/// a scenario file's, located in the body as <c>request:LINE:COLUMN: path: problem</c>.
/// </summary>
internal static class ControlBody
{
    /// <summary>
    /// Reads <paramref name="utf8"/> with <paramref name="read"/>; throws <see cref="JsonException"/> on malformed
    /// JSON and <see cref="ScenarioException"/> with every problem found.
    /// </summary>
    public static T Read<T>(byte[] utf8, Func<JsonElement, JsonChecks, T?> read)
        where T : class
    {
        var positions = JsonPositionIndex.Build(utf8);
        using var document = JsonDocument.Parse(utf8);
        var errors = new ScenarioErrors("request", positions, rootName: "the body");
        foreach (string duplicate in positions.Duplicates)
        {
            errors.Add(duplicate, $"property '{duplicate[(duplicate.LastIndexOf('.') + 1)..]}' appears twice; keep one");
        }

        var checks = new JsonChecks(errors);
        var value = checks.IsObject(document.RootElement, "", "an object") ? read(document.RootElement, checks) : null;
        return errors.Any || value is null ? throw new ScenarioException(errors.Messages) : value;
    }
}
