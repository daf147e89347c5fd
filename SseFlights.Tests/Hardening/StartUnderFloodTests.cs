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
        var rates = new List<double>();
        for (int run = 1; run <= 50; run++)
        {
            int port = FreePort.Reserve();
            await using var flood = await ConnectionFlood.StartAsync(port, AttemptsPerSecond);
            await using var program = BuiltProgram.Start("--port", port.ToString(), "--log-level", "Warning");
            if (!await Readiness.WaitAsync(program, port))
            {
                failures.Add($"start {run}: exit {await program.WaitForExitAsync(TimeSpan.FromSeconds(5))}: {program.Stderr.Trim()}");
            }

            rates.Add(flood.Rate);
        }

        Assert.That(failures, Is.Empty, "starts that failed");
        Assert.That(rates.Min(), Is.GreaterThanOrEqualTo(1000), "the flood's connection attempts per second");
        Assert.That(rates.Max(), Is.LessThan(AttemptsPerSecond * 1.5), "the flood keeps its pace");
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task InProcessStart_WhileClientsFloodItsPort_ServesHealthz20TimesOutOf20()
    {
        for (int run = 1; run <= 20; run++)
        {
            int port = FreePort.Reserve();
            await using var flood = await ConnectionFlood.StartAsync(port, AttemptsPerSecond);
            await using var server = await TestServer.StartOnPortAsync(Scenarios.Tutorial, port);

            using var health = await server.Http.GetAsync("healthz");
            Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"start {run}");
            Assert.That(flood.Rate, Is.GreaterThanOrEqualTo(1000), $"start {run}: the flood's connection attempts per second");
        }
    }
}
