namespace SseFlights.Scenario;

/// <summary>
/// One request a conforming client makes, as the server's request log shows it: its method, the headers
/// named (each with its exact value, or null for a request without it; names in any case), its body
/// (when <see cref="MatchesBody"/>: the text, or null for none), and at least (or at most) how long after
/// the client's previous request it came. A member left out is not checked.
/// </summary>
internal sealed record ExpectedRequest(string? Method, IReadOnlyDictionary<string, string?> Headers, bool MatchesBody, string? Body, int? MinSincePreviousMs)
{
    /// <summary>At most how long after the client's previous request it came (a deviation's bound, so a client that changes is noticed).</summary>
    public int? MaxSincePreviousMs { get; init; }

    /// <summary>Equal when every checked member is; the header names compare in any case.</summary>
    public bool Equals(ExpectedRequest? other) =>
        other is not null && Method == other.Method && MatchesBody == other.MatchesBody && Body == other.Body && MinSincePreviousMs == other.MinSincePreviousMs
        && MaxSincePreviousMs == other.MaxSincePreviousMs
        && Headers.Count == other.Headers.Count
        && Headers.All(h => other.Headers.Any(o => string.Equals(o.Key, h.Key, StringComparison.OrdinalIgnoreCase) && o.Value == h.Value));

    public override int GetHashCode() => HashCode.Combine(Method, MatchesBody, Body, MinSincePreviousMs, Headers.Count);
}
