using System.Text.Json;

namespace SseFlights.Scenario;

/// <summary>
/// Reads a case's <c>requests</c>: a count, or an array of what each request carries (method, headers
/// with a value or null for absent, body, and the least or most delay since the client's previous request),
/// checked against the server's request log.
/// </summary>
internal sealed class ExpectedRequestReader(JsonChecks checks)
{
    private const int MaxRequests = 1000;

    /// <summary>The count, and the list when <c>requests</c> is an array; (null, null) when missing (reported if required) or wrong.</summary>
    public (int? Count, IReadOnlyList<ExpectedRequest>? List) Read(JsonElement owner, string ownerPath, bool required, string wanted)
    {
        if (!owner.TryGetProperty("requests", out var value) || value.ValueKind != JsonValueKind.Array)
        {
            return (checks.WholeNumber(owner, ownerPath, "requests", 1, MaxRequests, wanted + ", or an array of the requests' method, headers and body", required), null);
        }

        string path = JsonPositionIndex.Join(ownerPath, "requests");
        int before = checks.Errors.Count;
        var list = new List<ExpectedRequest>();
        int index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (ReadOne(item, $"{path}[{index++}]") is { } request)
            {
                list.Add(request);
            }
        }

        if (index is 0 or > MaxRequests)
        {
            checks.Errors.Add(path, $"expected from 1 to {MaxRequests} requests, got {index}");
        }

        return checks.Errors.Count > before ? (null, null) : (list.Count, list);
    }

    private ExpectedRequest? ReadOne(JsonElement item, string path)
    {
        if (!checks.IsObject(item, path, "a request with \"method\", \"headers\", \"body\", \"minSincePreviousMs\" or \"maxSincePreviousMs\""))
        {
            return null;
        }

        checks.OnlyMembers(item, path, "method", "headers", "body", "minSincePreviousMs", "maxSincePreviousMs");
        string? method = checks.String(item, path, "method", required: false, allowEmpty: false);
        int? since = checks.WholeNumber(item, path, "minSincePreviousMs", 0, 3_600_000, "the least milliseconds since the client's previous request, from 0 to 3600000", required: false);
        int? within = checks.WholeNumber(item, path, "maxSincePreviousMs", 0, 3_600_000, "the most milliseconds since the client's previous request, from 0 to 3600000", required: false);
        if (since > within)
        {
            checks.Errors.Add(JsonPositionIndex.Join(path, "maxSincePreviousMs"), $"is below minSincePreviousMs ({since}): no request could meet both");
        }

        var headers = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (item.TryGetProperty("headers", out var list) && checks.IsObject(list, JsonPositionIndex.Join(path, "headers"), "an object of header names, each with its value or null for absent"))
        {
            foreach (var header in list.EnumerateObject())
            {
                string headerPath = JsonPositionIndex.Join(JsonPositionIndex.Join(path, "headers"), header.Name);
                if (header.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                {
                    checks.Errors.Add(headerPath, $"expected the header's value (a string) or null for a request without it, got {JsonChecks.Describe(header.Value)}");
                }
                else if (!headers.TryAdd(header.Name, header.Value.GetString()))
                {
                    checks.Errors.Add(headerPath, $"header '{header.Name}' is named twice (names are compared in any case)");
                }
            }
        }

        bool matchesBody = item.TryGetProperty("body", out var body);
        if (matchesBody && body.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
        {
            checks.Errors.Add(JsonPositionIndex.Join(path, "body"), $"expected the body's text, or null for a request without one, got {JsonChecks.Describe(body)}");
        }

        return new ExpectedRequest(method, headers, matchesBody, matchesBody && body.ValueKind == JsonValueKind.String ? body.GetString() : null, since) { MaxSincePreviousMs = within };
    }
}
