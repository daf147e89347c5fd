using System.Text.Json;

namespace SseFlights.Scenario;

/// <summary>
/// Reads who may ask for the stream and how: <c>methods</c>, the methods that get it (GET by default),
/// and <c>corsOrigins</c>, the origins whose pages may read it, besides the server's <c>--cors-origin</c>.
/// </summary>
internal sealed class StreamMethodsReader(JsonChecks checks)
{
    /// <summary>The methods a stream may be asked for with; HEAD and OPTIONS are always answered, and never with a stream.</summary>
    public static readonly string[] Allowed = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    public static readonly IReadOnlyList<string> Default = ["GET"];

    public IReadOnlyList<string> Read(JsonElement root)
    {
        var names = ReadStrings(root, "methods", "an array of HTTP methods that get the stream, such as [\"GET\", \"POST\"]", (name, path) =>
            Allowed.Contains(name) ? null
                : name is "HEAD" or "OPTIONS" ? $"{name} is always answered (HEAD with the head a GET gets, OPTIONS with Allow and the CORS preflight), never with a stream; remove it"
                : $"unknown method '{name}'; a stream is sent for {string.Join(", ", Allowed)}");
        return names is null || names.Count == 0 ? Default : names;
    }

    public IReadOnlyList<string> ReadOrigins(JsonElement root) =>
        ReadStrings(root, "corsOrigins", "an array of origins allowed to read the stream from another site, such as [\"http://localhost:3000\"] or [\"*\"]", (origin, _) =>
            IsOrigin(origin) ? null : $"expected an origin such as https://example.com or http://localhost:3000 (no path), or \"*\"; got '{origin}'") ?? [];

    /// <summary>An origin: scheme, host and optional port with no path, or <c>*</c> for any (as <c>--cors-origin</c> takes).</summary>
    private static bool IsOrigin(string origin) =>
        origin == "*" || (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            && uri.GetLeftPart(UriPartial.Authority) == origin && !origin.EndsWith('/'));

    /// <summary>A non-empty array of distinct strings, each checked by <paramref name="problem"/>; null when absent or wrong (reported).</summary>
    private List<string>? ReadStrings(JsonElement root, string member, string wanted, Func<string, string, string?> problem)
    {
        if (!root.TryGetProperty(member, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            checks.Errors.Add(member, $"expected {wanted}, got {(value.ValueKind == JsonValueKind.Array ? "an empty array" : JsonChecks.Describe(value))}");
            return null;
        }

        var items = new List<string>();
        int index = 0;
        foreach (var item in value.EnumerateArray())
        {
            string path = $"{member}[{index++}]";
            string? text = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
            string? wrong = text is null ? $"expected a string, got {JsonChecks.Describe(item)}" : problem(text, path) ?? (items.Contains(text) ? $"'{text}' is listed twice" : null);
            if (wrong is null)
            {
                items.Add(text!);
            }
            else
            {
                checks.Errors.Add(path, wrong);
            }
        }

        return items;
    }
}
