using System.Text.RegularExpressions;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Browser.Firefox;

/// <summary>Recovery from a full server (503) in Firefox, as RecoveryTests checks it in Chromium: the page waits out Retry-After and gets in by itself.</summary>
public partial class FirefoxRecoveryTests : FirefoxTest
{
    [Test]
    [CancelAfter(60_000)]
    public async Task ServerFull_SecondPageWaitsRetryAfter_AndGetsInAfterTheFirstLeaves()
    {
        var server = await StartServerAsync(RecoveryTests.Quiet, TimeProvider.System, o => o with { MaxClients = 1, HeartbeatSeconds = 0.2 });
        var first = await OpenPageAsync(server);
        await first.WaitForLastEventIdAsync(3);

        var second = await OpenPageAsync(server);
        second.ExpectFailedRequests = true;
        await second.WaitForStatusAsync("full");
        string text = await second.EvaluateAsync<string>("() => document.getElementById('status').textContent");
        Assert.That(text, Does.Match(ServerFullText()));
        Assert.That(await second.IsDisabledAsync("button#stop"), Is.False);

        await ClosePageAsync(first);
        await Eventually.ValueAsync(server.ClientsAsync, n => n == 0, TimeSpan.FromSeconds(10), "the first page's slot to free up");

        // Retry-After is 5 s, plus up to 1 s of jitter: the second page gets in by itself.
        await second.WaitForStatusAsync("live", timeoutMs: 15_000);
        await second.WaitForLastEventIdAsync(3);
        Assert.That(await second.DomBoardAsync(), Is.EqualTo(await BrowserTest.ServerBoardAsync(server)));
        Assert.That(await second.StatusHistoryAsync(), Is.EqualTo(new[] { "connecting", "full", "connecting", "live" }));
        Assert.That(second.EventsRequests().Select(r => r.PathAndQuery), Is.EqualTo(new[] { "/events", "/events" }));
        Assert.That(await server.ClientsAsync(), Is.EqualTo(1));
    }

    [GeneratedRegex(@"^Server full, retrying in [1-6] s$")]
    private static partial Regex ServerFullText();
}
