using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Proxy;

/// <summary>Three replicas with one --epoch behind the shipped replicas.conf in a real nginx: one is killed mid-stream, nothing is lost.</summary>
[NonParallelizable]
public partial class ReplicaFailoverTests
{
    private const int Sigkill = 9;
    private const int Clients = 60;
    private const int Events = 200;

    private static string ReplicasConfigPath => Path.Combine(Scenarios.RepoRoot, "deploy", "nginx", "replicas.conf");

    [Test]
    [CancelAfter(120_000)]
    public async Task SigkillOneReplicaMidStream_ClientsResumeOnTheOthers_NoGapNoDuplicate_AndEveryReplicaThenAnswers204()
    {
        // 200 events 50 ms apart from 3 s after the epoch, then the close; the epoch is a moment
        // ahead, so every replica serves id 0 until then and all play the same instants.
        string epoch = DateTimeOffset.UtcNow.AddSeconds(4).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        string scenario = Scenarios.Busy(Events, 0.05, close: true, start: 3);
        var replicas = new List<ServerProcess>();
        for (int i = 0; i < 3; i++)
        {
            replicas.Add(await ServerProcess.StartAsync(scenario, "--epoch", epoch, "--retry", "0", "--log-level", "Warning"));
        }

        try
        {
            await using var nginx = await NginxProcess.StartAsync(listen => Pointed(File.ReadAllText(ReplicasConfigPath), listen, replicas.Select(r => r.Port)));
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1000 }) { BaseAddress = new Uri(nginx.BaseUrl) };
            var clients = Enumerable.Range(0, Clients).Select(_ => new BoardClient(http)).ToList();
            var runs = clients.Select(client => Task.Run(() => client.RunAsync(() => false, CancellationToken.None))).ToList();

            // Mid-stream: every replica serving some of the 60, the timeline a third of the way in.
            await Eventually.ValueAsync(async () => (await replicas[0].HealthAsync()).GetProperty("lastEventId").GetInt64(), id => id >= Events / 3, TimeSpan.FromSeconds(30), "a third of the events");
            int onVictim = await replicas[0].ClientsAsync();
            replicas[0].Program.Signal(Sigkill);

            await Task.WhenAll(runs).WaitAsync(TimeSpan.FromSeconds(60));

            using var final = JsonDocument.Parse(await replicas[1].Http.GetStringAsync("api/flights"));
            var board = BoardClient.Rows(final.RootElement.GetProperty("flights"));
            TestContext.Out.WriteLine($"clients {Clients}, on the killed replica {onVictim}, reconnects {clients.Sum(c => c.Connections) - Clients}, gaps {clients.Sum(c => c.Gaps)}, duplicates {clients.Sum(c => c.Duplicates)}");
            Assert.That(onVictim, Is.GreaterThan(0), "the killed replica must have had streams");
            foreach (var client in clients)
            {
                Assert.That((client.Gaps, client.Duplicates), Is.EqualTo((0, 0)));
                Assert.That(client.Received[^1], Is.EqualTo(("closedConnection", (long)Events + 1)), "everyone gets the close once, last");
                Assert.That(client.Received.Count(r => r.Type == "closedConnection"), Is.EqualTo(1));
                Assert.That(client.Board, Is.EqualTo(board));
            }

            foreach (var replica in replicas.Skip(1))
            {
                using var after = await replica.Http.GetAsync("events");
                Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            }
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }
        }
    }

    /// <summary>The shipped file, listening on the test's port, its three server lines pointed at the replicas (their options kept).</summary>
    private static string Pointed(string template, int listen, IEnumerable<int> ports)
    {
        string config = template.Replace("listen 80;", $"listen 127.0.0.1:{listen};", StringComparison.Ordinal);
        Assert.That(ServerLine().Matches(config), Has.Count.EqualTo(3), "replicas.conf must list three replicas");
        using var port = ports.GetEnumerator();
        return ServerLine().Replace(config, m => port.MoveNext() ? $"server 127.0.0.1:{port.Current}{m.Groups[1].Value};" : m.Value);
    }

    [GeneratedRegex(@"server 127\.0\.0\.1:500\d( [^;]*)?;")]
    private static partial Regex ServerLine();
}
