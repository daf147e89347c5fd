using System.Text.Json;

namespace SseFlights.Scenario;

/// <summary>Reads one timeline entry: its time, its event or action, and the data that event requires.</summary>
internal sealed class TimelineReader(JsonChecks checks, IReadOnlyList<string> customEvents, bool timed = true)
{
    /// <summary>One year: far beyond any demo, and well inside what a timer can wait for.</summary>
    public const double MaxSeconds = 31_536_000;

    private static readonly string[] EntryMembers = ["at", "event", "action", "data", "comment", "retry", "raw", "split"];

    /// <summary>The members that say what an entry is; an entry has exactly one.</summary>
    private static readonly string[] KindMembers = ["event", "action", "comment", "retry", "raw"];

    public TimelineEntry? Read(JsonElement item, string path, int index)
    {
        if (!checks.IsObject(item, path, "a timeline entry with \"at\" and \"event\" (or \"action\")"))
        {
            return null;
        }

        checks.OnlyMembers(item, path, EntryMembers);
        double? at = timed ? checks.Number(item, path, "at", 0, MaxSeconds, $"a number of seconds from the cycle start, from 0 to {MaxSeconds}") : Untimed(item, path);
        string[] kinds = [.. KindMembers.Where(k => item.TryGetProperty(k, out _))];
        if (kinds.Length > 1)
        {
            checks.Errors.Add(path, $"has both \"{kinds[0]}\" and \"{kinds[1]}\"; an entry is one of an event, an action, a comment, a retry or a raw frame");
            return null;
        }

        if (kinds.Length == 0)
        {
            checks.Errors.Add(path, "missing \"event\" (an event name), \"action\" (\"drop\"), \"comment\", \"retry\" or \"raw\"");
            return null;
        }

        FrameSplit? split = ReadSplit(item, path, kinds[0]);
        TimelineEntry? entry = kinds[0] switch
        {
            "action" => ReadAction(item, path, index),
            "event" => ReadEvent(item, path, index),
            _ => new WireEntryReader(checks).Read(item, path, index, kinds[0]),
        };
        return at is null || entry is null ? null : entry with { At = at.Value, Split = split };
    }

    private FrameSplit? ReadSplit(JsonElement item, string path, string kind)
    {
        if (!item.TryGetProperty("split", out var split))
        {
            return null;
        }

        string splitPath = JsonPositionIndex.Join(path, "split");
        if (kind == "action")
        {
            checks.Errors.Add(splitPath, "a drop writes no frame, so there is nothing to split; remove \"split\"");
            return null;
        }

        if (!checks.IsObject(split, splitPath, "an object with \"bytes\" and \"delayMs\""))
        {
            return null;
        }

        checks.OnlyMembers(split, splitPath, "bytes", "delayMs");
        int? bytes = checks.WholeNumber(split, splitPath, "bytes", 1, FrameSplit.MaxBytes, $"a whole number of bytes per piece, from 1 to {FrameSplit.MaxBytes}");
        int? delay = checks.WholeNumber(split, splitPath, "delayMs", 0, FrameSplit.MaxDelayMs, $"a whole number of milliseconds between pieces, from 0 to {FrameSplit.MaxDelayMs}");
        return bytes is null || delay is null ? null : new FrameSplit(bytes.Value, delay.Value);
    }

    /// <summary>A live entry (the control API's) happens when it arrives, so a time in it would be a lie.</summary>
    private double? Untimed(JsonElement item, string path)
    {
        if (item.TryGetProperty("at", out _))
        {
            checks.Errors.Add(JsonPositionIndex.Join(path, "at"), "a live entry is applied at once; remove \"at\"");
            return null;
        }

        return 0;
    }

    private TimelineEntry? ReadAction(JsonElement item, string path, int index)
    {
        string? action = checks.String(item, path, "action", required: true, allowEmpty: false);
        if (item.TryGetProperty("data", out _))
        {
            checks.Errors.Add(JsonPositionIndex.Join(path, "data"), "a drop action carries no data; remove \"data\"");
        }

        if (action is null)
        {
            return null;
        }

        if (action != "drop")
        {
            checks.Errors.Add(JsonPositionIndex.Join(path, "action"), $"unknown action '{action}'; the only action is \"drop\"");
            return null;
        }

        return new TimelineEntry(index, 0, EntryKind.Drop, "", "", null);
    }

    private TimelineEntry? ReadEvent(JsonElement item, string path, int index)
    {
        string? name = checks.String(item, path, "event", required: true, allowEmpty: true);
        if (name is null)
        {
            return null;
        }

        string eventPath = JsonPositionIndex.Join(path, "event");
        if (EventNames.Problem(name) is { } problem)
        {
            checks.Errors.Add(eventPath, problem);
            return null;
        }

        string dataPath = JsonPositionIndex.Join(path, "data");
        bool hasData = item.TryGetProperty("data", out var data);
        switch (name)
        {
            case EventNames.StateUpdate:
                return BoardEvent(EntryKind.StateUpdate, "an object with flight and state", ["flight", "state", "arrival", "origin"]);
            case EventNames.Addition:
                return BoardEvent(EntryKind.Addition, "a flight object with flight, origin, arrival and state", ["flight", "origin", "arrival", "state"]);
            case EventNames.Removal:
                return BoardEvent(EntryKind.Removal, "an object with flight", ["flight"]);
            case EventNames.Close:
                if (hasData)
                {
                    checks.Errors.Add(dataPath, "closedConnection carries no data; remove \"data\"");
                    return null;
                }

                return new TimelineEntry(index, 0, EntryKind.Close, name, "", null);
            case EventNames.Snapshot:
                checks.Errors.Add(eventPath, "'snapshot' is sent by the server itself; use flightAddition, flightRemoval or flightStateUpdate");
                return null;
        }

        if (EventNames.Reserved.Contains(name))
        {
            checks.Errors.Add(eventPath, EventNames.CustomProblem(name)!);
            return null;
        }

        if (!customEvents.Contains(name))
        {
            string? guess = JsonChecks.Closest(name, EventNames.BuiltIn.Concat(customEvents));
            string hint = guess is null ? "" : $"did you mean '{guess}'? ";
            checks.Errors.Add(eventPath, $"unknown event '{name}'; {hint}a custom event must be listed in \"customEvents\"");
            return null;
        }

        // A custom event's string goes out as written (multi-line allowed); any other JSON goes out compact.
        string text = !hasData ? "" : data.ValueKind == JsonValueKind.String ? data.GetString()! : JsonChecks.Compact(data);
        return new TimelineEntry(index, 0, EntryKind.Custom, name, text, null);

        TimelineEntry? BoardEvent(EntryKind kind, string what, string[] members)
        {
            if (!hasData)
            {
                checks.Errors.Add(path, $"missing required property 'data' ({what})");
                return null;
            }

            if (!checks.IsObject(data, dataPath, what))
            {
                return null;
            }

            checks.OnlyMembers(data, dataPath, members);
            bool full = kind == EntryKind.Addition;
            string? code = checks.String(data, dataPath, "flight", required: true, allowEmpty: false);
            string? origin = members.Contains("origin") ? checks.String(data, dataPath, "origin", full, allowEmpty: false) : null;
            string? arrival = members.Contains("arrival") ? checks.String(data, dataPath, "arrival", full, allowEmpty: false) : null;
            string? state = members.Contains("state") ? checks.String(data, dataPath, "state", required: true, allowEmpty: true) : null;
            if (code is null || (full && (origin is null || arrival is null)) || (members.Contains("state") && state is null))
            {
                return null;
            }

            return new TimelineEntry(index, 0, kind, name, JsonChecks.Compact(data), new FlightChange(code, origin, arrival, state));
        }
    }
}
