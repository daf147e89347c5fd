using System.Text.Json;
using SseFlights.Cli;
using SseFlights.Scenario;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Browser;

/// <summary>
/// Chromium's own EventSource plays every case of the client pack and must observe exactly its
/// expect block before it stops: the events it dispatches, the <c>GET /events</c> it makes (counted
/// by the server) and, where the case is about retry, the reconnection time it waited.
/// </summary>
[Parallelizable(ParallelScope.All)]
[FixtureLifeCycle(LifeCycle.SingleInstance)]
public class ChromiumPackTests
{
    /// <summary>How long Chromium waits before a reconnect when the stream never set one: the server's retry: and the spec's default.</summary>
    private static readonly int DefaultRetry = ServerOptions.Defaults.RetryMilliseconds;

    private Chromium? _chromium;

    private static IEnumerable<string> Cases() => ClientPack.Cases();

    [OneTimeSetUp]
    public async Task LaunchAsync()
    {
        _chromium = await Chromium.LaunchAsync();
        // A first context and page are slow to make on a cold browser: made here, so the first cases' pages are on time.
        await using var context = await _chromium.Browser.NewContextAsync();
        await (await context.NewPageAsync()).GotoAsync("about:blank");
    }

    [OneTimeTearDown]
    public async Task CloseAsync()
    {
        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }
    }

    [TestCaseSource(nameof(Cases))]
    [CancelAfter(60_000)]
    public async Task Case_ChromiumEventSource_ObservesExactlyTheExpectedEventsRequestsAndRetryThenStops(string name, CancellationToken cancellationToken)
    {
        var scenario = ClientPack.Load(name);
        var expect = scenario.Expect!;

        // Listen for every type the case expects, and for 'lonely', which a wrong parser would dispatch.
        string[] types = [.. expect.Events.Select(e => e.Type).Append("message").Append("lonely").Distinct()];
        JsonElement run;
        StreamRequests requests;
        for (int attempt = 1; ; attempt++)
        {
            // The page first: the scenario clock starts with the server, and the case's first entry is only 1 s in.
            await using var context = await _chromium!.Browser.NewContextAsync();
            var page = await context.NewPageAsync();
            requests = new StreamRequests();
            await using var server = await TestServer.StartAsync(scenario, log: requests.Logger);
            var startedAt = (await server.GetJsonAsync("healthz")).GetProperty("startedAt").GetDateTimeOffset();
            await page.GotoAsync(server.BaseUrl + "same-origin-blank");
            // delays: from each error that leaves the source CONNECTING (the wait begins) to the open or
            // the final error that ends that wait's request: the reconnection time plus one request.
            var evaluation = page.EvaluateAsync<JsonElement>("""
                ([url, types]) => new Promise(resolve => {
                  const seen = [];
                  const delays = [];
                  let waitingSince = null;
                  const source = new EventSource(url);
                  const waited = () => {
                    if (waitingSince !== null) {
                      delays.push(performance.now() - waitingSince);
                      waitingSince = null;
                    }
                  };
                  source.onopen = waited;
                  for (const type of types) {
                    source.addEventListener(type, e => seen.push({ type: e.type, data: e.data, lastEventId: e.lastEventId }));
                  }
                  source.onerror = () => {
                    if (source.readyState === EventSource.CONNECTING) {
                      waitingSince = performance.now();
                    } else if (source.readyState === EventSource.CLOSED) {
                      waited();
                      resolve({ seen, delays });
                    }
                  };
                })
                """, new object[] { "/events?client=chromium", types });

            // A page whose first request came after the first entry (a loaded machine) cannot run the case
            // (and in a case that ends without a close it would wait forever): stop it and try again.
            // Counted by the server, so a page that came after the close (one 204, never open) is late too.
            var first = await requests.FirstAsync(TimeSpan.FromSeconds(20), cancellationToken);
            if (first <= startedAt.AddSeconds(0.9))
            {
                run = (await evaluation.WaitAsync(cancellationToken)).Clone();
                break;
            }

            await context.CloseAsync();
            await ((Task)evaluation).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (attempt == 3)
            {
                Assert.Inconclusive($"the page connected after the case's first entry three times (last {(first - startedAt).TotalSeconds:0.00} s in); the machine is too loaded to run this case");
            }
        }

        var delays = run.GetProperty("delays").EnumerateArray().Select(d => d.GetDouble()).ToList();
        TestContext.Out.WriteLine($"GET /events by client: {requests.ByClient}; waits before reconnecting (ms): {string.Join(", ", delays.Select(d => d.ToString("0")))}; the server's log:{Environment.NewLine}{requests.Log}");
        var events = run.GetProperty("seen").EnumerateArray().Select(e => new ExpectedEvent(e.GetProperty("type").GetString()!, e.GetProperty("data").GetString()!, e.GetProperty("lastEventId").GetString()!));
        Assert.That(events.Select(ClientPack.Describe).ToList(), Is.EqualTo(expect.Events.Select(ClientPack.Describe).ToList()));
        Assert.That(requests.Count, Is.EqualTo(expect.Requests), $"GET /events by client: {requests.ByClient}");
        if (expect.Retry is { } retry)
        {
            // EventSource hides its reconnection time, so the last wait is measured: at least retry (less
            // 50 ms: the timer starts a hair before the error event), and below the 3000 ms default it
            // would have kept had it ignored retry: (one that took '15x' as 15 fails the lower bound).
            Assume.That(retry, Is.LessThan(DefaultRetry - 500), "the measured wait tells retry from the default only when it is well below it");
            Assert.That(delays, Is.Not.Empty, "the source never waited to reconnect");
            Assert.That(delays[^1], Is.InRange(retry - 50, DefaultRetry - 1), $"waits before reconnecting (ms): {string.Join(", ", delays.Select(d => d.ToString("0")))}");
        }
    }
}
