using SseFlights.Tests.Support;

namespace SseFlights.Tests.Proxy;

/// <summary>The two nginx setups every proxy test runs against.</summary>
public enum NginxConfig
{
    /// <summary>deploy/nginx/sseflights.conf, inside an http {} context that gzips everything it may.</summary>
    Shipped,

    /// <summary>A bare <c>location / { proxy_pass ...; }</c>: nginx's defaults, HTTP/1.0 to the node.</summary>
    Bare,
}

internal static class NginxConfigs
{
    /// <summary>
    /// A careless http {} context around the shipped site: gzip on for the stream's type too, so a
    /// test fails if the shipped config let compression (and its buffering) reach the stream.
    /// </summary>
    private const string GzipEverything = "gzip on; gzip_types text/event-stream application/json text/plain; gzip_min_length 1; gzip_proxied any;";

    public static Task<NginxProcess> StartAsync(NginxConfig config, params int[] nodes) => config == NginxConfig.Shipped
        ? NginxProcess.StartAsync(NginxProcess.Shipped(nodes), GzipEverything)
        : NginxProcess.StartAsync(NginxProcess.Bare(nodes.Single()));

    /// <summary>Where the stream is behind the proxy: at /events, and for the shipped config also under the board's sub-path.</summary>
    public static string EventsPath(bool underBoard) => underBoard ? "board/events" : "events";
}
