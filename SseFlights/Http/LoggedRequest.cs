namespace SseFlights.Http;

/// <summary>
/// One request for <c>/events</c> as the server received it: the client's key (its <c>client</c> query
/// value, or null) and the request's number for that key (counted from 1; 0 beyond the keys the log
/// tracks), the method and target, every header as received, the body (text, or null for none),
/// when it came, and how long after the key's previous request (null for its first): the client's
/// reconnection delay.
/// </summary>
internal sealed record LoggedRequest(
    string? Client,
    int Number,
    string Method,
    string Target,
    IReadOnlyDictionary<string, string> Headers,
    string? Body,
    DateTime ReceivedAt,
    double? SincePreviousMs)
{
    /// <summary>What the entry costs the log, roughly, in characters: its headers and its body.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long Size => (Body?.Length ?? 0) + Target.Length + Headers.Sum(h => h.Key.Length + h.Value.Length);
}
