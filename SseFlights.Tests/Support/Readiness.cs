using System.Net;

namespace SseFlights.Tests.Support;

/// <summary>
/// The one way a test knows a server process is ready: it has said it is live, and its /healthz
/// answers 200. Polling the port alone is not enough (a connection can come before the listener's
/// start has finished), and the log line alone does not prove the port serves.
/// </summary>
internal static class Readiness
{
    public const string LiveLine = "SseFlights is live";

    /// <summary>What a live replica's start line says, which answers 503 while it catches up with its log.</summary>
    private const string CatchingUp = "events from the stream";

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    /// <summary>True once <paramref name="program"/> serves /healthz on <paramref name="port"/>; false if it exited first.</summary>
    public static async Task<bool> WaitAsync(BuiltProgram program, int port, TimeSpan? timeout = null)
    {
        await program.WaitForOutputAsync(LiveLine, timeout ?? DefaultTimeout);
        if (!program.Stdout.Contains(LiveLine, StringComparison.Ordinal))
        {
            return false;
        }

        // A live replica (--nats) listens at once but answers 503 until it has caught up with its log; a scripted server answers 200 at once.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        HttpStatusCode status;
        while ((status = await HealthStatusAsync(http, port)) == HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < deadline && program.Stdout.Contains(CatchingUp, StringComparison.Ordinal))
        {
            await Task.Delay(20);
        }

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), $"/healthz of a server that said it is live\nstdout:\n{program.Stdout}\nstderr:\n{program.Stderr}");
        return true;
    }

    private static async Task<HttpStatusCode> HealthStatusAsync(HttpClient http, int port)
    {
        using var health = await http.GetAsync($"http://127.0.0.1:{port}/healthz");
        return health.StatusCode;
    }

    /// <summary>Waits for <see cref="WaitAsync"/>, failing the test with what the program printed if it exited instead.</summary>
    public static async Task RequireAsync(BuiltProgram program, int port, TimeSpan? timeout = null)
    {
        if (!await WaitAsync(program, port, timeout))
        {
            Assert.Fail($"the server exited before it was ready\nstdout:\n{program.Stdout}\nstderr:\n{program.Stderr}");
        }
    }
}
