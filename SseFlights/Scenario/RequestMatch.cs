namespace SseFlights.Scenario;

/// <summary>A header a rule looks for: its name (any case), and its exact value, or null for a request without it.</summary>
internal sealed record HeaderMatch(string Name, string? Value);

/// <summary>
/// Which requests for <c>/events</c> a <c>responses</c> rule answers: its number for the client's key
/// (counted from 1), its method, a header; every selector given must match, and at least one is given.
/// </summary>
internal sealed record RequestMatch(int? Request, string? Method, HeaderMatch? Header)
{
    /// <summary>True when request <paramref name="number"/>, made with <paramref name="method"/>, whose headers <paramref name="header"/> reads, is one this rule answers.</summary>
    public bool Matches(int number, string method, Func<string, string?> header) =>
        (Request is null || Request == number)
        && (Method is null || Method == method)
        && (Header is null || header(Header.Name) == Header.Value);
}

/// <summary>One scenario <c>responses</c> rule: which requests it answers, and how.</summary>
internal sealed record ScriptedResponse(RequestMatch When, ResponseRule Rule);
