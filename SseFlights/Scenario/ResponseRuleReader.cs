using System.Text.Json;

namespace SseFlights.Scenario;

/// <summary>
/// Reads <c>responses</c> rules: which requests each answers (<c>request</c>, <c>method</c>, <c>header</c>)
/// and how (<see cref="ReadAnswer"/>, which the control API's faults share).
/// </summary>
internal sealed class ResponseRuleReader(JsonChecks checks, IReadOnlyList<string> methods)
{
    public static readonly string[] AnswerMembers = ["status", "location", "contentType", "delayMs", "endAfterMs", "hold", .. TransportFaultReader.Members];

    private static readonly string[] RuleMembers = ["request", "method", "header", .. AnswerMembers];

    private static readonly string[] StreamOnlyMembers = ["contentType", "endAfterMs", "hold", .. TransportFaultReader.Members];

    public List<ScriptedResponse> ReadAll(JsonElement root)
    {
        var rules = new List<ScriptedResponse>();
        if (!root.TryGetProperty("responses", out var value))
        {
            return rules;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            checks.Errors.Add("responses", $"expected an array of rules, got {JsonChecks.Describe(value)}");
            return rules;
        }

        var positions = new Dictionary<RequestMatch, int>();
        int index = 0;
        foreach (var item in value.EnumerateArray())
        {
            string path = $"responses[{index}]";
            if (ReadRule(item, path) is { } rule)
            {
                if (positions.TryGetValue(rule.When, out int first))
                {
                    string which = rule.When is { Request: { } n, Method: null, Header: null } ? $"request {n}" : "a rule with the same request, method and header";
                    checks.Errors.Add(JsonPositionIndex.Join(path, rule.When.Request is not null ? "request" : rule.When.Method is not null ? "method" : "header"), $"{which} already has a rule at responses[{first}]; one rule per request");
                }
                else
                {
                    positions[rule.When] = index;
                    rules.Add(rule);
                }
            }

            index++;
        }

        return rules;
    }

    /// <summary>How to answer: status, location, contentType, delayMs, endAfterMs, hold and the transport faults, checked together; null when wrong (reported).</summary>
    public ResponseRule? ReadAnswer(JsonElement item, string path)
    {
        int before = checks.Errors.Count;
        int status = checks.WholeNumber(item, path, "status", 200, 599, "an HTTP status from 200 to 599", required: false) ?? 200;
        string? location = checks.String(item, path, "location", required: false, allowEmpty: false);
        string? contentType = checks.String(item, path, "contentType", required: false, allowEmpty: false);
        int delay = checks.WholeNumber(item, path, "delayMs", 0, ResponseRule.MaxDelayMs, $"a whole number of milliseconds from 0 to {ResponseRule.MaxDelayMs}", required: false) ?? 0;
        int? endAfter = checks.WholeNumber(item, path, "endAfterMs", 0, ResponseRule.MaxEndAfterMs, $"a whole number of milliseconds from 0 to {ResponseRule.MaxEndAfterMs}", required: false);
        bool hold = checks.Boolean(item, path, "hold", fallback: false);
        var transport = new TransportFaultReader(checks).Read(item, path);
        var rule = new ResponseRule(status, location, contentType, delay, endAfter) { Hold = hold, Transport = transport };
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

        foreach (string member in StreamOnlyMembers.Where(m => item.TryGetProperty(m, out _)))
        {
            if (!rule.Streams)
            {
                checks.Errors.Add(JsonPositionIndex.Join(path, member), $"\"{member}\" only applies to a stream (status 200), not to status {status}");
            }
        }

        return checks.Errors.Count == before ? rule : null;
    }

    private ScriptedResponse? ReadRule(JsonElement item, string path)
    {
        if (!checks.IsObject(item, path, "a rule with \"request\", \"method\" or \"header\", and what to answer"))
        {
            return null;
        }

        checks.OnlyMembers(item, path, RuleMembers);
        int before = checks.Errors.Count;
        if (!new[] { "request", "method", "header" }.Any(m => item.TryGetProperty(m, out _)))
        {
            checks.Errors.Add(path, "missing \"request\" (the number of the client's request for /events it answers, counted from 1), \"method\" or \"header\": say which requests the rule answers");
        }

        int? request = checks.WholeNumber(item, path, "request", 1, int.MaxValue, "the number of the client's request for /events it answers, counted from 1", required: false);
        string? method = checks.String(item, path, "method", required: false, allowEmpty: false);
        if (method is not null && !methods.Contains(method))
        {
            checks.Errors.Add(JsonPositionIndex.Join(path, "method"), $"'{method}' is not one of the scenario's \"methods\" ({string.Join(", ", methods)}), so no request with it reaches the stream");
        }

        var header = ReadHeader(item, JsonPositionIndex.Join(path, "header"));
        var answer = ReadAnswer(item, path);
        return checks.Errors.Count == before && answer is not null ? new ScriptedResponse(new RequestMatch(request, method, header), answer) : null;
    }

    private HeaderMatch? ReadHeader(JsonElement item, string path)
    {
        if (!item.TryGetProperty("header", out var header) || !checks.IsObject(header, path, "an object with \"name\" and \"value\" (null for a request without the header)"))
        {
            return null;
        }

        checks.OnlyMembers(header, path, "name", "value");
        string? name = checks.String(header, path, "name", required: true, allowEmpty: false);
        if (!header.TryGetProperty("value", out var value))
        {
            checks.Errors.Add(path, "missing required property 'value' (the header's exact value, or null for a request without it)");
            return null;
        }

        if (value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
        {
            checks.Errors.Add(JsonPositionIndex.Join(path, "value"), $"expected the header's exact value (a string), or null for a request without it, got {JsonChecks.Describe(value)}");
            return null;
        }

        return name is null ? null : new HeaderMatch(name, value.GetString());
    }
}
