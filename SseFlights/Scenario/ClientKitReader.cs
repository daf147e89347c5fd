using System.Text.Json;
using SseFlights.Sse;

namespace SseFlights.Scenario;

/// <summary>
/// Reads the scenario members that serve client testing: <c>wire</c>, <c>snapshot</c>,
/// <c>responses</c>, <c>description</c> and <c>expect</c> (read by <see cref="ClientExpectationReader"/>).
/// </summary>
internal sealed class ClientKitReader(JsonChecks checks)
{
    private static readonly string[] RuleMembers = ["request", "status", "location", "contentType", "delayMs", "endAfterMs"];

    public ScenarioDefinition Read(JsonElement root, ScenarioDefinition scenario) => scenario with
    {
        Wire = ReadWire(root),
        Snapshot = checks.Boolean(root, "", "snapshot", fallback: true),
        Responses = ReadResponses(root),
        Description = root.TryGetProperty("description", out _) ? checks.String(root, "", "description", required: true, allowEmpty: false) : null,
        Expect = root.TryGetProperty("expect", out var expect) ? new ClientExpectationReader(checks).Read(expect) : null,
    };

    private WireFormat ReadWire(JsonElement root)
    {
        if (!root.TryGetProperty("wire", out var wire) || !checks.IsObject(wire, "wire", "an object with \"lineEnding\" and \"bom\""))
        {
            return WireFormat.Default;
        }

        checks.OnlyMembers(wire, "wire", "lineEnding", "bom");
        var ending = LineEnding.Lf;
        if (wire.TryGetProperty("lineEnding", out var value))
        {
            string? text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            LineEnding? parsed = text switch { "lf" => LineEnding.Lf, "crlf" => LineEnding.Crlf, "cr" => LineEnding.Cr, _ => null };
            if (parsed is null)
            {
                string got = text is null ? JsonChecks.Describe(value) : $"'{text}'";
                checks.Errors.Add("wire.lineEnding", $"expected \"lf\", \"crlf\" or \"cr\", got {got}");
            }

            ending = parsed ?? LineEnding.Lf;
        }

        return new WireFormat(ending, checks.Boolean(wire, "wire", "bom", fallback: false));
    }

    private Dictionary<int, ResponseRule> ReadResponses(JsonElement root)
    {
        var rules = new Dictionary<int, ResponseRule>();
        if (!root.TryGetProperty("responses", out var value))
        {
            return rules;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            checks.Errors.Add("responses", $"expected an array of rules, got {JsonChecks.Describe(value)}");
            return rules;
        }

        var positions = new Dictionary<int, int>();
        int index = 0;
        foreach (var item in value.EnumerateArray())
        {
            string path = $"responses[{index}]";
            if (ReadRule(item, path) is ({ } request, { } rule))
            {
                if (positions.TryGetValue(request, out int first))
                {
                    checks.Errors.Add($"{path}.request", $"request {request} already has a rule at responses[{first}]; one rule per request");
                }
                else
                {
                    positions[request] = index;
                    rules[request] = rule;
                }
            }

            index++;
        }

        return rules;
    }

    private (int? Request, ResponseRule? Rule) ReadRule(JsonElement item, string path)
    {
        if (!checks.IsObject(item, path, "a rule with \"request\" and what to answer"))
        {
            return (null, null);
        }

        checks.OnlyMembers(item, path, RuleMembers);
        int? request = checks.WholeNumber(item, path, "request", 1, int.MaxValue, "the number of the GET /events it answers, counted from 1");
        int status = checks.WholeNumber(item, path, "status", 200, 599, "an HTTP status from 200 to 599", required: false) ?? 200;
        string? location = checks.String(item, path, "location", required: false, allowEmpty: false);
        string? contentType = checks.String(item, path, "contentType", required: false, allowEmpty: false);
        int delay = checks.WholeNumber(item, path, "delayMs", 0, ResponseRule.MaxDelayMs, $"a whole number of milliseconds from 0 to {ResponseRule.MaxDelayMs}", required: false) ?? 0;
        int? endAfter = checks.WholeNumber(item, path, "endAfterMs", 0, ResponseRule.MaxEndAfterMs, $"a whole number of milliseconds from 0 to {ResponseRule.MaxEndAfterMs}", required: false);
        var rule = new ResponseRule(status, location, contentType, delay, endAfter);
        int before = checks.Errors.Count;
        foreach (var (member, text) in new[] { ("location", location), ("contentType", contentType) })
        {
            if (text is not null && text.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
            {
                checks.Errors.Add(JsonPositionIndex.Join(path, member), "must not contain CR, LF or NUL (it becomes a header)");
            }
        }

        if (rule.IsRedirect && location is null)
        {
            checks.Errors.Add(path, $"status {status} needs \"location\", the URL the client is sent to");
        }
        else if (location is not null && !ResponseRule.TakesLocation(status))
        {
            checks.Errors.Add(JsonPositionIndex.Join(path, "location"), $"\"location\" only applies to {ResponseRule.LocationStatuses}, not to status {status}");
        }

        foreach (var (member, present) in new[] { ("contentType", contentType is not null), ("endAfterMs", endAfter is not null) })
        {
            if (present && !rule.Streams)
            {
                checks.Errors.Add(JsonPositionIndex.Join(path, member), $"\"{member}\" only applies to a stream (status 200), not to status {status}");
            }
        }

        return checks.Errors.Count == before ? (request, rule) : (request, null);
    }
}
