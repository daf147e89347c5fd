using System.Diagnostics;
using System.Globalization;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Hardening;

/// <summary>Clients that stop reading or vanish must cost the others nothing.</summary>
[NonParallelizable]
[TestFixture("direct")]
[TestFixture("listener")]
public class SlowClientTests(string writePath)
{
    /// <summary>Custom events of <paramref name="bytes"/> each, <paramref name="perSecond"/> a second, for <paramref name="seconds"/>.</summary>
    private static string Heavy(int bytes, int perSecond, double seconds, double lead = 2)
    {
        string payload = new('x', bytes);
        var entries = Enumerable.Range(0, (int)(perSecond * seconds)).Select(i =>
            $$"""{ "at": {{(lead + ((double)i / perSecond)).ToString("0.####", CultureInfo.InvariantCulture)}}, "event": "cargo", "data": "{{i}} {{payload}}" }""");
        return $$"""
            { "name": "Heavy", "customEvents": ["cargo"], "flights": [],
              "timeline": [ {{string.Join(",\n", entries)}} ] }
            """;
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task StalledReaders_AreCut_WhileHealthyClientsGetEveryEvent_AndOnTheDirectPathThreadsStayFlat()
    {
        const int Healthy = 500, Stalled = 50, Events = 400;
        await using var server = await ServerProcess.StartOnWritePathAsync(writePath, Heavy(4 * 1024, 40, Events / 40.0, lead: 4), "--heartbeat", "1");
        var healthy = new List<RawSseClient>();
        for (int i = 0; i < Healthy; i++)
        {
            healthy.Add(await RawSseClient.ConnectAsync(server.Port));
        }

        await Eventually.ValueAsync(server.ClientsAsync, n => n == Healthy, TimeSpan.FromSeconds(20), "the healthy clients");
        int threadsBefore = server.Threads();
        var stalled = new List<RawSseClient>();
        for (int i = 0; i < Stalled; i++)
        {
            stalled.Add(await RawSseClient.ConnectAsync(server.Port, stalled: true));
        }

        int maxThreads = threadsBefore;
        await Eventually.TrueAsync(
            () =>
            {
                maxThreads = Math.Max(maxThreads, server.Threads());
                return healthy.All(c => c.IdList().LastOrDefault() == Events);
            },
            TimeSpan.FromSeconds(60),
            "every healthy client to get every event while stalled readers hang on");

        if (writePath == "direct")
        {
            // The direct path bounds the kernel's send buffer, so a stalled reader is noticed within a
            // heartbeat. The listener's own writer cannot reach the socket: the kernel autotunes its
            // buffer to megabytes, and 1.6 MB of events fit in it, so there the stalled are not yet behind.
            await Eventually.ValueAsync(server.ClientsAsync, n => n == Healthy, TimeSpan.FromSeconds(20), "the stalled clients to be cut");
        }

        var latencies = Latencies(healthy, (await server.HealthAsync()).GetProperty("startedAt").GetDateTime(), lead: 4, perSecond: 40);
        var gaps = healthy.Select(c => c.IdList()).Where(ids => ids.Count < 2 || !ids.Skip(1).SequenceEqual(Enumerable.Range((int)ids[1], ids.Count - 1).Select(i => (long)i)) || ids[^1] != Events).ToList();
        TestContext.Out.WriteLine($"threads before {threadsBefore}, max while stalled {maxThreads}; healthy latency p50 {latencies[latencies.Count / 2]:0} ms, p99 {latencies[latencies.Count * 99 / 100]:0} ms");

        Assert.That(gaps, Is.Empty, "every healthy client must get every event in order");
        Assert.That(server.Program.Stdout, Does.Contain(writePath == "direct" ? "direct write path" : "listener's own writer"), "the switch chose the path");
        if (writePath == "direct")
        {
            Assert.That(server.Program.Stdout, Does.Contain("WRN]"), "a cut client is logged as a warning");
            Assert.That(maxThreads, Is.LessThan(threadsBefore * 2), "stalled clients must not cost threads");
        }

        foreach (var client in healthy.Concat(stalled))
        {
            await client.DisposeAsync();
        }
    }

    /// <summary>Each healthy delivery's delay after its scheduled moment, in milliseconds, sorted.</summary>
    private static List<double> Latencies(List<RawSseClient> clients, DateTime startedAt, double lead, int perSecond)
    {
        // Map the clients' Stopwatch stamps to wall-clock time once; both clocks are this machine's.
        long nowStamp = Stopwatch.GetTimestamp();
        var nowUtc = DateTime.UtcNow;
        var all = new List<double>();
        foreach (var client in clients)
        {
            lock (client.Ids)
            {
                foreach (var (id, stamp) in client.Ids.Skip(1))
                {
                    var arrived = nowUtc - Stopwatch.GetElapsedTime(stamp, nowStamp);
                    var scheduled = startedAt.AddSeconds(lead + ((id - 1.0) / perSecond));
                    all.Add((arrived - scheduled).TotalMilliseconds);
                }
            }
        }

        all.Sort();
        return all;
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task TwoHundredVanishedClients_AreAllRemovedWithinTwoHeartbeats()
    {
        await using var server = await ServerProcess.StartOnWritePathAsync(writePath, Scenarios.Tutorial, "--heartbeat", "1", "--log-level", "Warning");
        var clients = new List<RawSseClient>();
        for (int i = 0; i < 200; i++)
        {
            clients.Add(await RawSseClient.ConnectAsync(server.Port));
        }

        await Eventually.ValueAsync(server.ClientsAsync, n => n == 200, TimeSpan.FromSeconds(20), "200 clients");
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }

        // Two heartbeats of 1 s, plus the ticker's quarter beat and half a second of scheduling slack.
        await Eventually.ValueAsync(server.ClientsAsync, n => n == 0, TimeSpan.FromSeconds(2.75), "every vanished client to be removed within two heartbeats");
    }
}
