using System.Net.Http.Headers;
using System.Text.Json;
using SseFlights.Scenario;

namespace SseFlights.Tests.Support;

/// <summary>
/// One request for /events as the server's request log shows it (GET /api/control/requests): its method,
/// headers as received, body, and the milliseconds since its key's previous request; and how it reads
/// through an expected request's eyes, so a list of them compares line by line.
/// </summary>
internal sealed record ObservedRequest(string Method, IReadOnlyDictionary<string, string> Headers, string? Body, double? SincePreviousMs)
{
    /// <summary>Every request the server logged, oldest first, read through its control API with <paramref name="token"/>.</summary>
    public static async Task<IReadOnlyList<ObservedRequest>> ReadLogAsync(HttpClient http, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/control/requests");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var log = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. log.RootElement.EnumerateArray().Select(e => new ObservedRequest(
            e.GetProperty("method").GetString()!,
            e.GetProperty("headers").EnumerateObject().ToDictionary(h => h.Name, h => h.Value.GetString()!, StringComparer.OrdinalIgnoreCase),
            e.GetProperty("body").GetString(),
            e.GetProperty("sincePreviousMs").ValueKind == JsonValueKind.Number ? e.GetProperty("sincePreviousMs").GetDouble() : null))];
    }

    /// <summary>The members <paramref name="expected"/> checks, as it would print them if this request matched it.</summary>
    public static string Describe(ExpectedRequest expected) => string.Join(" | ", Parts(expected, expected.Method, name => expected.Headers[name], expected.Body, null));

    /// <summary>This request's values for the members <paramref name="expected"/> checks (a bound on the delay prints as expected when it is met; a first request has none to meet).</summary>
    public string DescribeAs(ExpectedRequest expected) =>
        string.Join(" | ", Parts(expected, Method, name => Headers.GetValueOrDefault(name), Body, SincePreviousMs));

    private static string[] Parts(ExpectedRequest expected, string? method, Func<string, string?> header, string? body, double? since) =>
    [
        .. expected.Method is null ? [] : new[] { method ?? "" },
        .. expected.Headers.Keys.Order(StringComparer.OrdinalIgnoreCase).Select(name => $"{name.ToLowerInvariant()}: {header(name) ?? "(absent)"}"),
        .. expected.MatchesBody ? new[] { "body: " + (body ?? "(none)") } : [],
        .. expected.MinSincePreviousMs is { } min ? new[] { since is null || since >= min ? $"≥ {min} ms after the previous" : $"{since:0} ms after the previous" } : [],
        .. expected.MaxSincePreviousMs is { } max ? new[] { since is null || since <= max ? $"≤ {max} ms after the previous" : $"{since:0} ms after the previous" } : [],
    ];
}
