using System.Text.Json;
using SseFlights.Scenario;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Browser;

/// <summary>
/// The page side of a browser's run of a pack case, the same for Chromium and Firefox: a function
/// that opens an EventSource on the stream, records every event of the given types it dispatches
/// (type, data, lastEventId) and each wait before a reconnect, and resolves once the source is
/// CLOSED, or at the deadline; and the reading of what it resolved with.
/// </summary>
internal static class EventSourcePackScript
{
    /// <summary>How long a source may run before the page gives up on it stopping by itself.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Called with [url, types, deadlineMs]: the kit page's own <c>playEventSource</c> (wwwroot/kit/play.js), so
    /// the suite and the page play a case the same way. EventSource hides its reconnection time, so each wait is
    /// measured: from an error that leaves the source CONNECTING to the open, or the error that ends the wait's
    /// request: the reconnection time plus one request.
    /// </summary>
    public static readonly string Play = $"([url, types, deadlineMs]) => ({KitFunction("playEventSource")})(url, types, deadlineMs)";

    /// <summary>
    /// <see cref="Play"/>'s shape with no EventSource, for a fixture's warm-up: the first evaluation
    /// (and its reading) is slow in a cold browser and test process, and would make the first cases ask late.
    /// </summary>
    public const string DryRun = "([url, types, deadlineMs]) => ({ seen: [], delays: [], timedOut: false })";

    /// <summary>The source of function <paramref name="name"/> of the kit page's play.js, without its export.</summary>
    private static string KitFunction(string name)
    {
        string text = File.ReadAllText(Path.Combine(Scenarios.RepoRoot, "wwwroot", "kit", "play.js"));
        int start = text.IndexOf($"export function {name}(", StringComparison.Ordinal);
        int end = text.IndexOf("\n}\n", start, StringComparison.Ordinal);
        return text[(start + "export ".Length)..(end + 2)];
    }

    /// <summary>The arguments for <see cref="Play"/>: the stream, every type the case could dispatch, the deadline.</summary>
    public static object[] Arguments(Uri stream, ScenarioDefinition scenario) =>
        [stream.AbsoluteUri, ClientPack.EventTypes(scenario), (int)Deadline.TotalMilliseconds];

    /// <summary>
    /// The page a run starts from: any page of the stream's origin, so the EventSource is same-origin (a 404 will
    /// do); for a cross-origin case, the same server under its other loopback name (localhost for 127.0.0.1),
    /// another origin to the browser, so the EventSource is a CORS request.
    /// </summary>
    public static Uri StartPage(Uri stream, ClientRequest request) =>
        request.CrossOrigin ? new Uri($"http://localhost:{stream.Port}/cross-origin-blank") : new(stream, "/same-origin-blank");

    /// <summary>
    /// A page of the same site (127.0.0.1, whatever the port) on a server of the fixture's own, for a
    /// new page to load before its case's server starts: the browser starts the site's content process
    /// then, not in the second between the case's clock starting and its first entry, when a loaded
    /// machine made Chromium ask too late in most cases. The start page then loads in that process.
    /// </summary>
    public static Uri WarmPage(TestServer server) => new($"http://127.0.0.1:{server.Port}/same-origin-blank");

    /// <summary>What the page resolved with, as a report; the retry is the last wait measured.</summary>
    public static ClientReport Report(JsonElement run)
    {
        double[] delays = [.. run.GetProperty("delays").EnumerateArray().Select(d => d.GetDouble())];
        return new ClientReport(
            [.. run.GetProperty("seen").EnumerateArray().Select(e => new ExpectedEvent(e.GetProperty("type").GetString()!, e.GetProperty("data").GetString()!, e.GetProperty("lastEventId").GetString()!))],
            delays.Length > 0 ? RetryReading.Waited(delays[^1]) : null,
            !run.GetProperty("timedOut").GetBoolean(),
            $"waits before reconnecting (ms): {string.Join(", ", delays.Select(d => d.ToString("0", System.Globalization.CultureInfo.InvariantCulture)))}");
    }
}
