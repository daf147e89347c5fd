namespace SseFlights.Cli;

/// <summary>
/// Checks and prints NATS server URLs without touching the NATS client, so the command line can
/// validate <c>--nats</c> while the program that never uses NATS never loads it.
/// </summary>
internal static class NatsUrls
{
    /// <summary>The schemes the NATS client connects with: plain, and TLS from the first byte.</summary>
    private static readonly string[] Schemes = ["nats", "tls"];

    /// <summary>True for <c>nats://host[:port]</c> or <c>tls://host[:port]</c>, or several separated by commas.</summary>
    public static bool IsValid(string text) => text.Split(',').All(IsServer);

    /// <summary>Each URL with its user information (a user and password, or a token) shown as <c>***</c>.</summary>
    public static string Redact(string text) => string.Join(",", text.Split(',').Select(RedactOne));

    private static bool IsServer(string text) =>
        Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri)
        && Schemes.Contains(uri.Scheme)
        && uri.Host.Length > 0
        && uri.AbsolutePath == "/"
        && uri.Query.Length == 0
        && uri.Fragment.Length == 0;

    /// <summary>Everything between "://" and the '@' that ends the user information, replaced; the rest kept as given.</summary>
    private static string RedactOne(string text)
    {
        text = text.Trim();
        int start = text.IndexOf("://", StringComparison.Ordinal);
        if (start < 0)
        {
            return text;
        }

        start += 3;
        int slash = text.IndexOf('/', start);
        int at = text.LastIndexOf('@', slash < 0 ? text.Length - 1 : slash);
        return at < start ? text : $"{text[..start]}***{text[at..]}";
    }
}
