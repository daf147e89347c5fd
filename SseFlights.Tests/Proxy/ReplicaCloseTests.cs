using System.Net;
using System.Text.Json;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Proxy;

/// <summary>
/// The close behind the shipped replicas.conf: clients that moved between replicas get it exactly
/// once, and afterwards every replica, directly or through nginx, answers as one node does.
/// </summary>
public class ReplicaCloseTests
{
    private const int Clients = 60;
    private const int Events = 120;
    private const long CloseId = Events + 1;

    [Test]
    [CancelAfter(90_000)]
    public async Task Close_AfterClientsMovedBetweenReplicas_ReachesEachClientExactlyOnce_ThenEveryReplicaAnswers204(CancellationToken cancellationToken)
    {
        // 120 events 50 ms apart from 0.5 s after the epoch, a drop after every 40th (every stream on
        // every replica cut at the same scenario instant, so nginx spreads each client anew), the last
        // drop a moment before the close.
        string scenario = Scenarios.Busy(Events, 0.05, close: true, dropEvery: 40, start: 0.5);
        await using var replicas = await ReplicaSet.StartAsync(scenario, 3, TimeSpan.FromSeconds(1.5), "--retry", "0", "--log-level", "Warning");
        var nginx = await replicas.StartNginxAsync();
        using var crowd = new BoardCrowd(nginx.BaseUrl);
        crowd.Start(Clients, cancellationToken);
        await crowd.WhenAllClosedAsync(TimeSpan.FromSeconds(60), cancellationToken);

        // A reconnect with Last-Event-ID opens as "resume" when an event came out between the drop
        // and the reconnect, and as "live" when none did: which one is a matter of milliseconds.
        var resumes = new List<double>();
        foreach (var replica in replicas.Replicas)
        {
            var samples = await MetricsSamples.GetAsync(replica.Http);
            resumes.Add(samples["sseflights_streams_opened_total{outcome=\"resume\"}"] + samples["sseflights_streams_opened_total{outcome=\"live\"}"]);
        }

        TestContext.Out.WriteLine($"{crowd.Figures()}, reconnects with Last-Event-ID served per replica [{string.Join(", ", resumes)}]");
        Assert.That(crowd.Reconnects, Is.GreaterThanOrEqualTo(3 * Clients), "each of the three drops sent every client back through nginx");
        Assert.That(resumes, Has.All.GreaterThan(0), "every replica served reconnects that carried Last-Event-ID");
        crowd.AssertEveryoneWholeAndClosedOnce(scenario, CloseId);

        // Every client has stopped on a 204 (that is how a BoardClient ends); now ask each replica directly.
        var resent = new List<string>();
        foreach (var replica in replicas.Replicas)
        {
            Assert.That(await StatusAsync(replica.Http, HttpMethod.Get, null, cancellationToken), Is.EqualTo(HttpStatusCode.NoContent), "a new client");
            Assert.That(await StatusAsync(replica.Http, HttpMethod.Get, CloseId.ToString(), cancellationToken), Is.EqualTo(HttpStatusCode.NoContent), "a client that has the close");
            Assert.That(await StatusAsync(replica.Http, HttpMethod.Head, null, cancellationToken), Is.EqualTo(HttpStatusCode.NoContent), "HEAD, the page asking why");
            using var flights = JsonDocument.Parse(await replica.Http.GetStringAsync("api/flights", cancellationToken));
            Assert.That(flights.RootElement.GetProperty("lastEventId").GetInt64(), Is.EqualTo(CloseId));
            Assert.That(BoardClient.Rows(flights.RootElement.GetProperty("flights")), Is.EqualTo(ScenarioBoard.At(scenario, CloseId)));

            // An older id is not refused: it gets what it missed, the close last, as from one node.
            resent.Add(await SseFrames.ReadStreamAsync(replica.Port, (CloseId - 3).ToString(), TimeSpan.FromSeconds(10), cancellationToken));
        }

        Assert.That(SseFrames.Ids(resent[0]), Is.EqualTo(new long?[] { null, CloseId - 2, CloseId - 1, CloseId }));
        Assert.That(resent[0], Does.EndWith($"event: closedConnection\ndata:\nid: {CloseId}\n\n"));
        Assert.That(resent, Has.All.EqualTo(resent[0]), "the same bytes from every replica");
        Assert.That(await StatusAsync(nginx.Http, HttpMethod.Get, null, cancellationToken), Is.EqualTo(HttpStatusCode.NoContent), "through nginx");
        Assert.That(await StatusAsync(nginx.Http, HttpMethod.Get, CloseId.ToString(), cancellationToken), Is.EqualTo(HttpStatusCode.NoContent), "a reconnect through nginx");
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, HttpMethod method, string? lastEventId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, "events");
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        return response.StatusCode;
    }
}
