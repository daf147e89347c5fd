using System.Text.Json;

namespace SseFlights.Scenario;

/// <summary>
/// Turns a parsed scenario document into the model, reporting every shape problem (unknown or
/// missing members, wrong types) at once. Hand-mapped rather than deserialized because a
/// serializer stops at the first error, and a scenario author deserves the whole list.
/// </summary>
internal sealed class ScenarioReader(JsonChecks checks)
{
    private static readonly string[] RootMembers =
        ["name", "description", "repeat", "cycle", "customEvents", "flights", "timeline", "wire", "snapshot", "methods", "corsOrigins", "responses", "clientRequest", "expect"];
    private static readonly string[] FlightMembers = ["flight", "origin", "arrival", "state"];

    public ScenarioDefinition? Read(JsonElement root)
    {
        if (!checks.IsObject(root, "", "an object with name, flights and timeline"))
        {
            return null;
        }

        checks.OnlyMembers(root, "", RootMembers);
        string? name = checks.String(root, "", "name", required: true, allowEmpty: false);
        bool repeat = checks.Boolean(root, "", "repeat", fallback: false);
        double? cycle = root.TryGetProperty("cycle", out _)
            ? checks.Number(root, "", "cycle", double.Epsilon, TimelineReader.MaxSeconds, "a number of seconds greater than 0")
            : null;
        var customEvents = ReadCustomEvents(root);
        var flights = ReadFlights(root);
        var timeline = ReadArray(root, "timeline", "an array of timeline entries", (item, path, index) =>
            new TimelineReader(checks, customEvents).Read(item, path, index));

        var scenario = new ClientKitReader(checks).Read(root, new ScenarioDefinition(name ?? "", repeat, cycle, customEvents, flights, timeline));
        return checks.Errors.Any ? null : scenario;
    }

    private List<string> ReadCustomEvents(JsonElement root)
    {
        var names = new List<string>();
        if (!root.TryGetProperty("customEvents", out var value))
        {
            return names;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            checks.Errors.Add("customEvents", $"expected an array of event names, got {JsonChecks.Describe(value)}");
            return names;
        }

        int index = 0;
        foreach (var item in value.EnumerateArray())
        {
            string path = $"customEvents[{index++}]";
            string? problem = item.ValueKind != JsonValueKind.String
                ? $"expected an event name (a string), got {JsonChecks.Describe(item)}"
                : EventNames.CustomProblem(item.GetString()!);
            string name = item.ValueKind == JsonValueKind.String ? item.GetString()! : "";
            problem ??= names.Contains(name) ? $"'{name}' is listed twice" : null;
            if (problem is null)
            {
                names.Add(name);
            }
            else
            {
                checks.Errors.Add(path, problem);
            }
        }

        return names;
    }

    private List<Flight> ReadFlights(JsonElement root) =>
        ReadArray(root, "flights", "an array of flights", (item, path, _) =>
        {
            if (!checks.IsObject(item, path, "a flight object with flight, origin, arrival and state"))
            {
                return null;
            }

            checks.OnlyMembers(item, path, FlightMembers);
            string? code = checks.String(item, path, "flight", required: true, allowEmpty: false);
            string? origin = checks.String(item, path, "origin", required: true, allowEmpty: false);
            string? arrival = checks.String(item, path, "arrival", required: true, allowEmpty: false);
            string? state = checks.String(item, path, "state", required: true, allowEmpty: true);
            return code is null || origin is null || arrival is null || state is null
                ? null
                : new Flight(code, origin, arrival, state);
        });

    private List<T> ReadArray<T>(JsonElement root, string name, string what, Func<JsonElement, string, int, T?> readItem)
        where T : class
    {
        var items = new List<T>();
        if (!root.TryGetProperty(name, out var value))
        {
            checks.Errors.Add("", $"missing required property '{name}' ({what})");
            return items;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            checks.Errors.Add(name, $"expected {what}, got {JsonChecks.Describe(value)}");
            return items;
        }

        int index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (readItem(item, $"{name}[{index}]", index) is { } read)
            {
                items.Add(read);
            }

            index++;
        }

        return items;
    }
}
