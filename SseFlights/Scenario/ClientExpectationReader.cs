using System.Text.Json;

namespace SseFlights.Scenario;

/// <summary>
/// Reads a client-pack case's <c>expect</c> block: what a conforming client observes, and under
/// <c>deviations</c>, for each client known to depart from the spec here, why and what it observes
/// instead. Strict like the rest of the loader: unknown clients and members are errors.
/// </summary>
internal sealed class ClientExpectationReader(JsonChecks checks)
{
    private const string RequestsWanted = "the number of requests for /events a conforming client makes, from 1 to 1000";
    // Graded by the wait before the reconnect, which must be below the 3000 ms a client keeps when it ignores retry:.
    private const string RetryWanted = "the reconnection time in milliseconds a client ends with, from 0 to 2999 (below the 3000 ms default, so the wait tells a client that honours it from one that ignores it)";

    public ClientExpectation? Read(JsonElement expect)
    {
        if (!checks.IsObject(expect, "expect", "an object with \"events\", \"requests\" and optionally \"retry\" and \"deviations\""))
        {
            return null;
        }

        checks.OnlyMembers(expect, "expect", "events", "requests", "retry", "deviations");
        var (requests, log) = new ExpectedRequestReader(checks).Read(expect, "expect", required: true, RequestsWanted);
        int? retry = checks.WholeNumber(expect, "expect", "retry", 0, 2999, RetryWanted, required: false);
        var events = ReadEvents(expect, "expect", required: true);
        if (requests is null || events is null)
        {
            return null;
        }

        var expected = new ClientExpectation(events, requests.Value, retry) { RequestLog = log };
        return expected with { Deviations = ReadDeviations(expect, expected) };
    }

    private Dictionary<string, ClientDeviation> ReadDeviations(JsonElement expect, ClientExpectation expected)
    {
        var deviations = new Dictionary<string, ClientDeviation>();
        const string path = "expect.deviations";
        if (!expect.TryGetProperty("deviations", out var value) || !checks.IsObject(value, path, "an object with a member per deviating client"))
        {
            return deviations;
        }

        checks.OnlyMembers(value, path, [.. ClientExpectation.Clients]);
        foreach (var member in value.EnumerateObject().Where(m => ClientExpectation.Clients.Contains(m.Name)))
        {
            if (ReadDeviation(member.Value, JsonPositionIndex.Join(path, member.Name), expected) is { } deviation)
            {
                deviations[member.Name] = deviation;
            }
        }

        return deviations;
    }

    private ClientDeviation? ReadDeviation(JsonElement item, string path, ClientExpectation expected)
    {
        if (!checks.IsObject(item, path, "an object with \"reason\" and \"observed\""))
        {
            return null;
        }

        checks.OnlyMembers(item, path, "reason", "observed");
        string? reason = checks.String(item, path, "reason", required: true, allowEmpty: false);
        string observedPath = JsonPositionIndex.Join(path, "observed");
        if (!item.TryGetProperty("observed", out var observed))
        {
            checks.Errors.Add(path, "missing required property 'observed' (what this client observes instead of expect: its events, requests or retry)");
            return null;
        }

        if (!checks.IsObject(observed, observedPath, "an object with the events, requests or retry this client observes instead of expect's"))
        {
            return null;
        }

        int before = checks.Errors.Count;
        checks.OnlyMembers(observed, observedPath, "events", "requests", "retry");
        var events = ReadEvents(observed, observedPath, required: false);
        var (requests, log) = new ExpectedRequestReader(checks).Read(observed, observedPath, required: false, "the number of requests for /events this client makes, from 1 to 1000");
        int? retry = checks.WholeNumber(observed, observedPath, "retry", 0, int.MaxValue, "the reconnection time in milliseconds this client ends with", required: false);
        if (checks.Errors.Count > before)
        {
            return null;
        }

        // A deviation records only where the client departs, so that it reads as the difference, and an
        // entry that matches expect (which a client conforming there would pass) cannot hide in the pack.
        if (events is null && requests is null && retry is null)
        {
            checks.Errors.Add(observedPath, "records no departure; give the events, requests or retry this client observes instead of expect's");
        }

        foreach (var (member, same) in new[]
        {
            ("events", events is not null && events.SequenceEqual(expected.Events)),
            ("requests", requests == expected.Requests && (log is null ? expected.RequestLog is null : expected.RequestLog?.SequenceEqual(log) == true)),
            ("retry", retry is not null && retry == expected.Retry),
        })
        {
            if (same)
            {
                checks.Errors.Add(JsonPositionIndex.Join(observedPath, member), $"is the same as expect.{member}; record only what this client observes differently");
            }
        }

        return reason is null || checks.Errors.Count > before ? null : new ClientDeviation(reason, events, requests, retry) { RequestLog = log };
    }

    /// <summary>The <c>events</c> array of <paramref name="owner"/>; null when it is missing (reported if required) or wrong.</summary>
    private List<ExpectedEvent>? ReadEvents(JsonElement owner, string ownerPath, bool required)
    {
        string path = JsonPositionIndex.Join(ownerPath, "events");
        if (!owner.TryGetProperty("events", out var list))
        {
            if (required)
            {
                checks.Errors.Add(ownerPath, "missing required property 'events' (an array of the events a client dispatches)");
            }

            return null;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            checks.Errors.Add(path, $"expected an array of the events a client dispatches, got {JsonChecks.Describe(list)}");
            return null;
        }

        var events = new List<ExpectedEvent>();
        int before = checks.Errors.Count;
        int index = 0;
        foreach (var item in list.EnumerateArray())
        {
            string itemPath = $"{path}[{index++}]";
            if (!checks.IsObject(item, itemPath, "an event with \"type\", \"data\" and \"lastEventId\""))
            {
                continue;
            }

            checks.OnlyMembers(item, itemPath, "type", "data", "lastEventId");
            // A conforming client never dispatches a type '' (§9.2.6 makes it 'message'); a deviating one may.
            string? type = checks.String(item, itemPath, "type", required: true, allowEmpty: !required);
            string? data = checks.String(item, itemPath, "data", required: true, allowEmpty: true);
            string? id = checks.String(item, itemPath, "lastEventId", required: true, allowEmpty: true);
            if (type is not null && data is not null && id is not null)
            {
                events.Add(new ExpectedEvent(type, data, id));
            }
        }

        return checks.Errors.Count > before ? null : events;
    }
}
