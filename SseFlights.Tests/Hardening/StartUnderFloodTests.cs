using System.Net;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Hardening;

/// <summary>
/// A restart of a board with viewers means browsers hammering the port while the new process starts
/// (1,000 browsers on a 3 s retry are 300 connection attempts a second). .NET's HttpListener fails its
/// start when a connection is queued at the wrong instant; the server starts anyway, every time.
/// </summary>
[NonParallelizable]
public class StartUnderFloodTests
{
    private const int AttemptsPerSecond = 1500;

    [Test]
    [CancelAfter(240_000)]
    public async Task FreshProcess_StartedWhileClientsFloodItsPort_ServesHealthz50TimesOutOf50()
    {
        var failures = new List<string>();
        var paces = new FloodPaces();
        for (int run = 1; run <= 50; run++)
        {
            int port = FreePort.Reserve();
            await using var flood = await ConnectionFlood.StartAsync(port, AttemptsPerSecond);
            await using var program = BuiltProgram.Start("--port", port.ToString(), "--log-level", "Warning");
            if (!await Readiness.WaitAsync(program, port))
            {
                failures.Add($"start {run}: exit {await program.WaitForExitAsync(TimeSpan.FromSeconds(5))}: {program.Stderr.Trim()}");
            }

            paces.Add(flood);
        }

        Assert.That(failures, Is.Empty, "starts that failed");
        paces.AssertFlooded();
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task InProcessStart_WhileClientsFloodItsPort_ServesHealthz20TimesOutOf20()
    {
        var paces = new FloodPaces();
        for (int run = 1; run <= 20; run++)
        {
            int port = FreePort.Reserve();
            await using var flood = await ConnectionFlood.StartAsync(port, AttemptsPerSecond);
            await using var server = await TestServer.StartOnPortAsync(Scenarios.Tutorial, port);

            using var health = await server.Http.GetAsync("healthz");
            Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"start {run}");
            paces.Add(flood);
        }

        paces.AssertFlooded();
    }

    /// <summary>
    /// The floods' pace over all the starts: one start takes a tenth of a second, too short for its own
    /// rate to say anything on a busy machine, so the precondition is checked on the whole run.
    /// </summary>
    private sealed class FloodPaces
    {
        private long _attempts;
        private TimeSpan _elapsed;

        public void Add(ConnectionFlood flood)
        {
            _attempts += flood.Attempts;
            _elapsed += flood.Elapsed;
        }

        public void AssertFlooded()
        {
            double rate = _attempts / _elapsed.TotalSeconds;
            Assert.That(rate, Is.GreaterThanOrEqualTo(1000), $"the floods' connection attempts per second over all starts ({_attempts} in {_elapsed.TotalSeconds:0.0} s)");
            Assert.That(rate, Is.LessThan(AttemptsPerSecond * 1.5), "the flood keeps its pace");
        }
    }
}
