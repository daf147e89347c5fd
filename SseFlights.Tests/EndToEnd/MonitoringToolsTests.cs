using SseFlights.Tests.Support;

namespace SseFlights.Tests.EndToEnd;

/// <summary>The ecosystem's own tools read our metrics: a real Prometheus server, and dotnet-counters.</summary>
public class MonitoringToolsTests
{
    [Test]
    [CancelAfter(60_000)]
    public async Task Prometheus_ScrapingTheNode_ReadsThreeClientsBackThroughItsApi()
    {
        await using var server = await TestServer.StartAsync(Scenarios.Busy(5, 1.0, start: 600));
        var clients = await server.OpenStreamsAsync(3);

        await using var prometheus = await PrometheusProcess.StartAsync(server.Port);
        double? clientsSeen = await Eventually.ValueAsync(
            () => prometheus.QueryAsync("sseflights_clients{job=\"sseflights\"}"), v => v == 3, TimeSpan.FromSeconds(30), "Prometheus to scrape sseflights_clients = 3");
        Assert.That(clientsSeen, Is.EqualTo(3));
        Assert.That(await prometheus.QueryAsync("sseflights_streams_opened_total{outcome=\"snapshot\"}"), Is.EqualTo(3));
        Assert.That(await prometheus.QueryAsync("up{job=\"sseflights\"}"), Is.EqualTo(1), "the scrape itself succeeded");
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task DotnetCounters_CollectingTheSseFlightsMeter_ReadsThreeOpenStreams()
    {
        await using var server = await ServerProcess.StartAsync(Scenarios.Busy(5, 1.0, start: 600));
        var clients = new List<RawSseClient>();
        for (int i = 0; i < 3; i++)
        {
            clients.Add(await RawSseClient.ConnectAsync(server.Port));
        }

        await Eventually.ValueAsync(server.ClientsAsync, n => n == 3, TimeSpan.FromSeconds(10), "3 clients");
        var readings = await DotnetCounters.CollectAsync(server.Program.Id, TimeSpan.FromSeconds(3));
        var open = readings.Where(r => r.Name == "sseflights.clients ({stream})").Select(r => r.Value).ToList();
        Assert.That(open, Is.Not.Empty, "dotnet-counters read: " + string.Join(", ", readings.Select(r => r.Name).Distinct()));
        Assert.That(open, Is.All.EqualTo(3));
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }
}
