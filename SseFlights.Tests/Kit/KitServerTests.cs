using System.Diagnostics;
using System.Net;
using System.Text.Json;
using SseFlights.Kit;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Kit;

/// <summary>
/// <c>sseflights kit</c> over loopback: its routes (the page, the pack, each case's stream and each run's
/// request log, and the answers to a bad request), and that runs of one case do not disturb each other.
/// </summary>
[Parallelizable(ParallelScope.All)]
public class KitServerTests
{
    [Test]
    [CancelAfter(30_000)]
    public async Task PackJson_ListsEveryBundledCase_WithItsStreamRequestAndExpect(CancellationToken cancellationToken)
    {
        await using var kit = await TestKit.StartAsync();
        using var pack = JsonDocument.Parse(await kit.Http.GetStringAsync("kit/pack.json", cancellationToken));
        var cases = pack.RootElement.GetProperty("cases").EnumerateArray().ToList();

        Assert.That(cases.Select(c => c.GetProperty("name").GetString()), Is.EqualTo(ClientPack.Cases()));
        var retry = cases.Single(c => c.GetProperty("name").GetString() == "retry-changed");
        Assert.That(retry.GetProperty("stream").GetString(), Is.EqualTo("/kit/cases/retry-changed/events"));
        Assert.That((retry.GetProperty("expect").GetProperty("retry").GetInt32(), retry.GetProperty("expect").GetProperty("requests").GetInt32()), Is.EqualTo((1500, 2)));
        var post = cases.Single(c => c.GetProperty("name").GetString() == "post-body-on-reconnect").GetProperty("request");
        Assert.That((post.GetProperty("method").GetString(), post.GetProperty("body").GetString(), post.GetProperty("eventSource").GetBoolean()), Is.EqualTo(("POST", "{\"board\":\"arrivals\"}", false)));
        var nul = cases.Single(c => c.GetProperty("name").GetString() == "id-with-nul").GetProperty("deviations");
        Assert.That(nul.EnumerateObject().Select(d => d.Name), Is.EqualTo(new[] { "fetch-event-source", "firefox" }));
        Assert.That(nul.GetProperty("firefox").GetProperty("reason").GetString(), Is.Not.Empty);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Page_IsAtKit_AndTheRootRedirectsThere(CancellationToken cancellationToken)
    {
        await using var kit = await TestKit.StartAsync();
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = kit.Http.BaseAddress };

        using var root = await noRedirects.GetAsync("/", cancellationToken);
        using var page = await kit.Http.GetAsync("kit/", cancellationToken);
        using var script = await kit.Http.GetAsync("kit/grade.js", cancellationToken);

        Assert.That((root.StatusCode, root.Headers.Location?.OriginalString), Is.EqualTo((HttpStatusCode.Found, "/kit/")));
        Assert.That((page.StatusCode, page.Content.Headers.ContentType?.MediaType), Is.EqualTo((HttpStatusCode.OK, "text/html")));
        Assert.That(await page.Content.ReadAsStringAsync(cancellationToken), Does.Contain("<title>Client kit · SseFlights</title>"));
        Assert.That(script.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Healthz_CountsTheCasesAndTheLiveRuns(CancellationToken cancellationToken)
    {
        await using var kit = await TestKit.StartAsync();
        Assert.That(await kit.Http.GetStringAsync("healthz", cancellationToken), Is.EqualTo($"{{\"status\":\"ok\",\"cases\":{ClientPack.Cases().Count()},\"runs\":0}}"));

        await using var stream = await SseConnection.OpenAsync(kit.Http, "kit/cases/multi-line-data/events?run=h");
        Assert.That(await kit.Http.GetStringAsync("healthz", cancellationToken), Does.EndWith("\"runs\":1}"));
    }

    [TestCase("kit/cases/no-such-case/events?run=r1", HttpStatusCode.NotFound, "Not found: the pack has no case 'no-such-case' (see /kit/pack.json).")]
    [TestCase("kit/cases/multi-line-data/events", HttpStatusCode.BadRequest, "Bad request: a case's stream needs ?run=ID, 1 to 64 letters, digits, '-' or '_', the same for every request of one run.")]
    [TestCase("kit/cases/multi-line-data/events?run=a%20b", HttpStatusCode.BadRequest, "Bad request: a case's stream needs ?run=ID, 1 to 64 letters, digits, '-' or '_', the same for every request of one run.")]
    [TestCase("kit/cases/multi-line-data/requests?run=never", HttpStatusCode.NotFound, "Not found: case 'multi-line-data' has no live run 'never' (a run lives 3 minutes from its first request).")]
    [TestCase("kit/nothing-here", HttpStatusCode.NotFound, "Not found.")]
    [CancelAfter(30_000)]
    public async Task BadRequest_GetsItsStatusAndOneLineSayingWhy(string target, HttpStatusCode status, string reason, CancellationToken cancellationToken)
    {
        await using var kit = await TestKit.StartAsync();
        using var response = await kit.Http.GetAsync(target, cancellationToken);
        Assert.That((response.StatusCode, (await response.Content.ReadAsStringAsync(cancellationToken)).TrimEnd('\n')), Is.EqualTo((status, reason)));
    }

    /// <summary>
    /// Run b of a case starts after run a has played to its end (its board closed, so a shared hub would answer 204):
    /// b gets the same bytes from id 1, its first event no sooner than its own clock's first entry (1 s), and each
    /// run's log holds only its own request.
    /// </summary>
    [Test]
    [CancelAfter(60_000)]
    public async Task TwoRunsOfOneCase_EachGetTheWholeCaseOnItsOwnClock_AndTheirOwnLog(CancellationToken cancellationToken)
    {
        await using var kit = await TestKit.StartAsync();
        await using var first = await SseConnection.OpenAsync(kit.Http, "kit/cases/multi-line-data/events?run=a");
        var firstEvents = await first.ReadToEndAsync(TimeSpan.FromSeconds(20));

        var opened = Stopwatch.StartNew();
        await using var second = await SseConnection.OpenAsync(kit.Http, "kit/cases/multi-line-data/events?run=b");
        var firstEventOfSecond = await second.NextAsync(TimeSpan.FromSeconds(20));
        var waited = opened.Elapsed;
        var secondEvents = await second.ReadToEndAsync(TimeSpan.FromSeconds(20));

        Assert.That(first.RawText, Is.EqualTo("retry: 3000\n\ndata: a\ndata: b\n\nevent: closedConnection\ndata:\nid: 1\n\n"));
        Assert.That(second.RawText, Is.EqualTo(first.RawText));
        Assert.That(firstEventOfSecond?.Data, Is.EqualTo("a\nb"));
        Assert.That(waited, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(900)), "run b's first entry is at 1 s on its own clock");
        foreach (string run in new[] { "a", "b" })
        {
            using var log = JsonDocument.Parse(await kit.Http.GetStringAsync($"kit/cases/multi-line-data/requests?run={run}", cancellationToken));
            Assert.That(log.RootElement.EnumerateArray().Select(r => r.GetProperty("target").GetString()), Is.EqualTo(new[] { $"/kit/cases/multi-line-data/events?run={run}" }));
        }
    }
}
