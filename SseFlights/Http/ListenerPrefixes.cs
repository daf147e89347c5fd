namespace SseFlights.Http;

/// <summary>
/// HttpListener matches prefixes against the request's Host header, so a loopback server must
/// register both loopback names or one of them answers 404.
/// </summary>
internal static class ListenerPrefixes
{
    public static bool IsAllInterfaces(string host) => host is "0.0.0.0" or "*" or "+";

    public static bool IsLoopback(string host) => host is "localhost" or "127.0.0.1";

    public static IReadOnlyList<string> For(string host, int port) => host switch
    {
        _ when IsAllInterfaces(host) => [$"http://+:{port}/"],
        _ when IsLoopback(host) => [$"http://localhost:{port}/", $"http://127.0.0.1:{port}/"],
        _ => [$"http://{host}:{port}/"],
    };

    /// <summary>The port of a prefix we built ("http://host:port/"), read as text so that even a host the listener refuses still names it.</summary>
    public static int PortOf(string prefix)
    {
        string authority = prefix.TrimEnd('/');
        return int.TryParse(authority.AsSpan(authority.LastIndexOf(':') + 1), out int port) ? port : 0;
    }

    /// <summary>The address to show people: a name a browser on this machine can open.</summary>
    public static string BaseUrl(string host, int port) =>
        IsAllInterfaces(host) || IsLoopback(host) ? $"http://localhost:{port}/" : $"http://{host}:{port}/";
}
