namespace SseFlights.Cli;

/// <summary>What <c>--cors-origin</c> takes: an origin (scheme, host, optional port, no path), or <c>*</c> for any.</summary>
internal static class OriginSyntax
{
    public static bool IsValid(string origin) =>
        origin == "*" || (Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && uri.Scheme is "http" or "https"
            && uri.GetLeftPart(UriPartial.Authority) == origin.TrimEnd('/')
            && !origin.EndsWith('/'));
}
