using System.Text.Json;

namespace SseFlights.Scenario;

/// <summary>
/// Reads a case's <c>clientRequest</c>: the <c>method</c> (one of the scenario's <c>methods</c>), extra
/// <c>headers</c> and <c>body</c> a pack client sends, and <c>crossOrigin</c>, true for a request from a page
/// of another origin. A client that cannot send it (EventSource sends only its own GET) does not play the case.
/// </summary>
internal sealed class ClientRequestReader(JsonChecks checks, IReadOnlyList<string> methods)
{
    public const int MaxBodyBytes = 64 * 1024;

    public ClientRequest Read(JsonElement root)
    {
        const string path = "clientRequest";
        if (!root.TryGetProperty(path, out var value) || !checks.IsObject(value, path, "an object with \"method\", \"headers\", \"body\" or \"crossOrigin\""))
        {
            return ClientRequest.EventSource;
        }

        checks.OnlyMembers(value, path, "method", "headers", "body", "crossOrigin");
        string method = checks.String(value, path, "method", required: false, allowEmpty: false) ?? "GET";
        if (!methods.Contains(method))
        {
            checks.Errors.Add(JsonPositionIndex.Join(path, "method"), $"'{method}' is not one of the scenario's \"methods\" ({string.Join(", ", methods)}); list it there so the request gets the stream");
        }

        string? body = checks.String(value, path, "body", required: false, allowEmpty: true);
        if (body is not null && method == "GET")
        {
            checks.Errors.Add(JsonPositionIndex.Join(path, "body"), "a GET carries no body here (the server answers one with 400); use another method");
        }
        else if (body is not null && System.Text.Encoding.UTF8.GetByteCount(body) > MaxBodyBytes)
        {
            checks.Errors.Add(JsonPositionIndex.Join(path, "body"), $"is over {MaxBodyBytes} bytes, more than the server takes (413)");
        }

        return new ClientRequest(method, ReadHeaders(value, JsonPositionIndex.Join(path, "headers")), body, checks.Boolean(value, path, "crossOrigin", fallback: false));
    }

    private Dictionary<string, string> ReadHeaders(JsonElement request, string path)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!request.TryGetProperty("headers", out var value) || !checks.IsObject(value, path, "an object of header names and values"))
        {
            return headers;
        }

        foreach (var header in value.EnumerateObject())
        {
            string headerPath = JsonPositionIndex.Join(path, header.Name);
            string? text = header.Value.ValueKind == JsonValueKind.String ? header.Value.GetString() : null;
            if (header.Name.Length == 0 || !header.Name.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c)))
            {
                checks.Errors.Add(headerPath, $"'{header.Name}' is not a header name (RFC 9110 §5.1: letters, digits and !#$%&'*+-.^_`|~)");
            }
            else if (text is null || text.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
            {
                checks.Errors.Add(headerPath, text is null ? $"expected the header's value (a string), got {JsonChecks.Describe(header.Value)}" : "must not contain CR, LF or NUL");
            }
            else if (!headers.TryAdd(header.Name, text))
            {
                checks.Errors.Add(headerPath, $"header '{header.Name}' is named twice (names are compared in any case)");
            }
        }

        return headers;
    }
}
