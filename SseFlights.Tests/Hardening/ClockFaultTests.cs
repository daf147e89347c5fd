using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using SseFlights.Http;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Hardening;

/// <summary>The scenario clock never dies silently: a fault is logged, /healthz says why, every stream ends, and the run ends as failed.</summary>
public class ClockFaultTests
{
    [Test]
    [CancelAfter(30_000)]
    public async Task ClockFault_EndsEveryStream_HealthIs503WithTheReason_AndTheRunEndsFailed(CancellationToken cancellationToken)
    {
        var fake = new FakeTimeProvider();
        var time = new FaultingTimeProvider(fake);
        await using var server = await TestServer.StartAsync(Scenarios.Tutorial, time);
        await using var client = await SseConnection.OpenAsync(server.Http);
        Assert.That((await client.NextAsync())!.Value.EventId, Is.EqualTo("0"));

        // Event 1 fires at 3 s; the player's wait for event 2 then asks for a timer, and that fails.
        time.ArmFault();
        fake.Advance(TimeSpan.FromSeconds(3));

        Assert.That((await client.NextAsync())!.Value.EventId, Is.EqualTo("1"));
        Assert.That(await client.NextAsync(), Is.Null, "the stream must end when the clock fails");

        using var health = await server.Http.GetAsync("healthz", cancellationToken);
        var body = JsonDocument.Parse(await health.Content.ReadAsStringAsync()).RootElement;
        Assert.That(
            (health.StatusCode, body.GetProperty("status").GetString(), body.GetProperty("reason").GetString(), body.GetProperty("lastEventId").GetInt64()),
            Is.EqualTo((HttpStatusCode.ServiceUnavailable, "failed", "the scenario clock failed: " + FaultingTimeProvider.Fault, 1L)));

        using var late = await server.Http.GetAsync("events", cancellationToken);
        Assert.That(late.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "no new stream on a server whose clock has failed");
        Assert.That(server.Run.IsCompleted, Is.False, "health keeps saying why until the linger has passed");

        fake.Advance(SseFlightsServer.FailureLinger);
        Assert.That(await server.Run.WaitAsync(cancellationToken), Is.EqualTo(ServerExit.ClockFailed));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task HealthyServer_HealthHasNoReason_AndAStopEndsTheRunAsStopped(CancellationToken cancellationToken)
    {
        var time = new FakeTimeProvider();
        var server = await TestServer.StartAsync(Scenarios.Tutorial, time);
        using (var health = await server.Http.GetAsync("healthz", cancellationToken))
        {
            var body = JsonDocument.Parse(await health.Content.ReadAsStringAsync()).RootElement;
            Assert.That((health.StatusCode, body.GetProperty("status").GetString(), body.TryGetProperty("reason", out _)), Is.EqualTo((HttpStatusCode.OK, "ok", false)));
        }

        await server.DisposeAsync();
        Assert.That(await server.Run.WaitAsync(cancellationToken), Is.EqualTo(ServerExit.Stopped));
    }
}
