using System.Net;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Proxy;

/// <summary>Three replicas with one --epoch behind the shipped replicas.conf in a real nginx: one is killed mid-stream, nothing is lost.</summary>
public class ReplicaFailoverTests
{
    private const int Clients = 60;
    private const int Events = 200;

    [Test]
    [CancelAfter(120_000)]
    public async Task SigkillOneReplicaMidStream_ClientsResumeOnTheOthers_NoGapNoDuplicate_AndEveryReplicaThenAnswers204(CancellationToken cancellationToken)
    {
        // 200 events 50 ms apart from 0.5 s after the epoch, then the close; the epoch is a moment
        // ahead, so every replica serves id 0 until then and all play the same instants.
        string scenario = Scenarios.Busy(Events, 0.05, close: true, start: 0.5);
        await using var replicas = await ReplicaSet.StartAsync(scenario, 3, TimeSpan.FromSeconds(1.5), "--retry", "0", "--log-level", "Warning");
        var nginx = await replicas.StartNginxAsync();
        using var crowd = new BoardCrowd(nginx.BaseUrl);
        crowd.Start(Clients, cancellationToken);

        // Mid-stream: every replica serving some of the 60, the timeline a third of the way in.
        await Eventually.ValueAsync(() => replicas.NewestIdAsync(0), id => id >= Events / 3, TimeSpan.FromSeconds(30), "a third of the events");
        int onVictim = await replicas[0].ClientsAsync();
        replicas.Kill(0);

        await crowd.WhenAllClosedAsync(TimeSpan.FromSeconds(60), cancellationToken);

        TestContext.Out.WriteLine($"{crowd.Figures()}, on the killed replica {onVictim}");
        Assert.That(onVictim, Is.GreaterThan(0), "the killed replica must have had streams");
        crowd.AssertEveryoneWholeAndClosedOnce(scenario, Events + 1);
        foreach (var replica in replicas.Replicas.Skip(1))
        {
            using var after = await replica.Http.GetAsync("events", cancellationToken);
            Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }
    }
}
