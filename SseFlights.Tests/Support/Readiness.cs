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

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    /// <summary>True once <paramref name="program"/> serves /healthz on <paramref name="port"/>; false if it exited first.</summary>
    public static async Task<bool> WaitAsync(BuiltProgram program, int port, TimeSpan? timeout = null)
    {
        await program.WaitForOutputAsync(LiveLine, timeout ?? DefaultTimeout);
        if (!program.Stdout.Contains(LiveLine, StringComparison.Ordinal))
        {
            return false;
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var health = await http.GetAsync($"http://127.0.0.1:{port}/healthz");
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"/healthz of a server that said it is live\nstdout:\n{program.Stdout}\nstderr:\n{program.Stderr}");
        return true;
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
