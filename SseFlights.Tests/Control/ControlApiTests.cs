using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Control;

/// <summary>The control API over HTTP: its token, each endpoint, and each refusal.</summary>
public class ControlApiTests
{
    private const string Token = "test-token";

    private static Task<TestServer> StartAsync(TimeProvider? time = null, string? scenario = null) =>
        TestServer.StartAsync(scenario ?? Scenarios.Tutorial, time ?? new FakeTimeProvider(), o => o with { Control = true, ControlToken = Token, CorsOrigins = ["*"] });

    private static async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> SendAsync(TestServer server, HttpMethod method, string path, string? body = null, string? token = Token)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        request.Headers.TryAddWithoutValidation("Origin", "https://elsewhere.example");
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        var response = await server.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    private static Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> PostAsync(TestServer server, string action, string? body = null) =>
        SendAsync(server, HttpMethod.Post, "api/control/" + action, body ?? "");

    [Test]
    [CancelAfter(30_000)]
    public async Task Control_WithoutTheFlag_Is404ForEveryMethodWithOrWithoutABody()
    {
        await using var server = await TestServer.StartAsync(Scenarios.Tutorial, new FakeTimeProvider());
        const string Body = "{\"event\": \"flightStateUpdate\", \"data\": {\"flight\": \"A123\", \"state\": \"diverted\"}}";

        foreach (string path in new[] { "/api/control", "/api/control/", "/api/control/events", "/api/control/pause", "/api/control/nothing" })
        {
            foreach (string method in new[] { "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS" })
            {
                // Raw bytes: HttpClient would not send a body on every method, nor keep Content-Length: 0.
                // A POST or PUT with no Content-Length at all gets HttpListener's own 411 before any code of ours.
                foreach (string? body in method is "POST" or "PUT" ? new[] { "", Body } : new[] { null, "", Body })
                {
                    string framing = body is null ? "" : $"Content-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n";
                    var response = await RawHttp.SendAsync(server.Port, $"{method} {path} HTTP/1.1\r\nHost: localhost\r\n{framing}\r\n{body}");

                    string what = $"{method} {path} with {(body is null ? "no body" : $"a body of {body.Length} bytes")}";
                    Assert.That(response.Status, Is.EqualTo(404), what);
                    Assert.That(response.Body, Is.EqualTo(method == "HEAD" ? "" : "Not found.\n"), what);
                }
            }
        }
    }

    [TestCase(null)]
    [TestCase("wrong")]
    [TestCase("test-token-longer")]
    [CancelAfter(30_000)]
    public async Task Control_MissingOrWrongToken_Is401WithWwwAuthenticateAndNoCors(string? token)
    {
        await using var server = await StartAsync();

        foreach (var (method, path) in new[] { (HttpMethod.Get, "api/control"), (HttpMethod.Post, "api/control/close") })
        {
            var (status, _, response) = await SendAsync(server, method, path, method == HttpMethod.Post ? "" : null, token);
            Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized), path);
            Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Bearer"));
            Assert.That(response.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
        }

        Assert.That((await server.GetJsonAsync("healthz")).GetProperty("closed").GetBoolean(), Is.False, "a refused close closes nothing");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task State_Get_ReportsPlayingTimeNextEntryLastIdAndStreams_WithoutCors()
    {
        var time = new FakeTimeProvider();
        await using var server = await StartAsync(time);
        await using var stream = await SseConnection.OpenAsync(server.Http);
        await stream.NextAsync();
        time.Advance(TimeSpan.FromSeconds(1));

        var (status, body, response) = await SendAsync(server, HttpMethod.Get, "api/control");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
        Assert.That(body, Is.EqualTo("""{"state":"playing","scenarioTime":1,"cycle":1,"next":{"index":0,"kind":"event","event":"flightStateUpdate","at":3,"inSeconds":2},"lastEventId":0,"closed":false,"openStreams":1}"""));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Events_ValidEntry_Is201WithTheNextIdAndArrivesOnTheStream()
    {
        var time = new FakeTimeProvider();
        await using var server = await StartAsync(time);
        await using var stream = await SseConnection.OpenAsync(server.Http);
        await stream.NextAsync();

        var (status, body, _) = await PostAsync(server, "events", """{"event": "flightStateUpdate", "data": {"flight": "A123", "state": "diverted"}}""");

        Assert.That((status, body), Is.EqualTo((HttpStatusCode.Created, """{"id":1}""")));
        var item = (await stream.NextAsync())!.Value;
        Assert.That((item.EventType, item.EventId, item.Data), Is.EqualTo(("flightStateUpdate", "1", """{"flight":"A123","state":"diverted"}""")));
        var board = await server.GetJsonAsync("api/flights");
        Assert.That(board.GetProperty("flights")[0].GetProperty("state").GetString(), Is.EqualTo("diverted"));

        // The timeline's own events follow with the ids after it.
        time.Advance(TimeSpan.FromSeconds(3));
        Assert.That((await stream.NextAsync())!.Value.EventId, Is.EqualTo("2"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Events_CommentRetryAndRaw_GoToOpenStreamsLiveOnly_WithNoId()
    {
        await using var server = await StartAsync();
        await using var stream = await SseConnection.OpenAsync(server.Http);
        await stream.NextAsync();

        var answers = new List<(HttpStatusCode, string)>();
        foreach (string entry in new[] { """{"comment": "hello"}""", """{"retry": 500}""", """{"raw": "data: r\n\n"}""" })
        {
            var (status, body, _) = await PostAsync(server, "events", entry);
            answers.Add((status, body));
        }

        var raw = (await stream.NextAsync())!.Value;
        Assert.That(answers, Is.EqualTo(Enumerable.Repeat((HttpStatusCode.Created, """{"id":null}"""), 3)));
        Assert.That((raw.EventType, raw.Data, raw.EventId), Is.EqualTo(("message", "r", (string?)null)), "the raw frame carries no id field");
        Assert.That(stream.RawText, Does.EndWith(": hello\n\nretry: 500\n\ndata: r\n\n"));

        // Live-only: none took an id, so there is nothing a resuming client could be sent again.
        var (_, flights, _) = await SendAsync(server, HttpMethod.Get, "api/flights", token: null);
        Assert.That(JsonDocument.Parse(flights).RootElement.GetProperty("lastEventId").GetInt64(), Is.Zero);
    }

    [TestCase("""{"event": "flightStateUpdate", "data": {"flight": "ZZ9", "state": "x"}}""", "request:1:41: data.flight: flight 'ZZ9' is not on the board at that point (on the board then: A123, D654, U213, A987, I768, G119)")]
    [TestCase("""{"event": "flightAddition", "data": {"flight": "A123", "origin": "Rome", "arrival": "08:00", "state": ""}}""", "request:1:38: data.flight: flight 'A123' is already on the board at that point; use flightStateUpdate to change it")]
    [TestCase("""{"event": "gateChange", "data": "B4"}""", "request:1:2: event: unknown event 'gateChange'; a custom event must be listed in \"customEvents\"")]
    [TestCase("""{"event": "snapshot"}""", "request:1:2: event: 'snapshot' is sent by the server itself; use flightAddition, flightRemoval or flightStateUpdate")]
    [TestCase("""{"at": 3, "event": "closedConnection"}""", "request:1:2: at: a live entry is applied at once; remove \"at\"")]
    [TestCase("""{"event": "flightRemoval", "data": {"flight": "A123", "gate": 1}}""", "request:1:55: data.gate: unknown property 'gate'; allowed here: flight")]
    [CancelAfter(30_000)]
    public async Task Events_InvalidEntry_Is422WithTheValidatorsMessage(string entry, string message)
    {
        await using var server = await StartAsync();

        var (status, body, _) = await PostAsync(server, "events", entry);

        Assert.That((status, body), Is.EqualTo((HttpStatusCode.UnprocessableEntity, message + "\n")));
        Assert.That((await server.GetJsonAsync("healthz")).GetProperty("lastEventId").GetInt64(), Is.EqualTo(0));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Events_MalformedJson_Is400_AndOver64KiB_Is413()
    {
        await using var server = await StartAsync();

        Assert.That((await PostAsync(server, "events", """{"event": """)).Status, Is.EqualTo(HttpStatusCode.BadRequest));
        string big = "{\"event\": \"flightStateUpdate\", \"data\": {\"flight\": \"A123\", \"state\": \"" + new string((char)120, 65 * 1024) + "\"}}";
        Assert.That((await PostAsync(server, "events", big)).Status, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That((await server.GetJsonAsync("healthz")).GetProperty("lastEventId").GetInt64(), Is.EqualTo(0));
    }

    [TestCase("events")]
    [TestCase("faults")]
    [TestCase("advance")]
    [CancelAfter(30_000)]
    public async Task EveryActionWithABody_Over64KiB_Is413WithTheLimit_AndAnotherMethodIs405(string action)
    {
        await using var server = await StartAsync();
        string big = "{\"data\": \"" + new string((char)120, 64 * 1024) + "\"}";

        var (status, body, _) = await PostAsync(server, action, big);
        Assert.That((status, body), Is.EqualTo((HttpStatusCode.RequestEntityTooLarge, "Content too large: a control request body may be at most 65536 bytes.\n")));
        var (getStatus, getBody, response) = await SendAsync(server, HttpMethod.Get, "api/control/" + action);
        Assert.That((getStatus, getBody, response.Content.Headers.Allow.Single()), Is.EqualTo((HttpStatusCode.MethodNotAllowed, "Method not allowed; use POST.\n", "POST")));
        Assert.That((await server.GetJsonAsync("healthz")).GetProperty("lastEventId").GetInt64(), Is.EqualTo(0));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Events_Injected_ReachesEachOf100StreamsOnce_AndIsResentOnResume()
    {
        await using var server = await StartAsync();
        var streams = await server.OpenStreamsAsync(100);
        try
        {
            var (status, body, _) = await PostAsync(server, "events", """{"event": "flightRemoval", "data": {"flight": "G119"}}""");
            Assert.That((status, body), Is.EqualTo((HttpStatusCode.Created, """{"id":1}""")));
            await PostAsync(server, "drop");

            foreach (var stream in streams)
            {
                var items = await stream.ReadToEndAsync();
                Assert.That(items.Select(i => (i.EventType, i.EventId, i.Data)), Is.EqualTo(new[] { ("flightRemoval", "1", """{"flight":"G119"}""") }));
            }

            await using var resumed = await SseConnection.OpenAsync(server.Http, lastEventId: "0");
            var resent = (await resumed.NextAsync())!.Value;
            Assert.That((resent.EventType, resent.EventId, resent.Data), Is.EqualTo(("flightRemoval", "1", """{"flight":"G119"}""")));
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }
        }
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task PauseAndResume_StopTheTimelineAndShiftLaterEntriesByThePause()
    {
        var time = new FakeTimeProvider();
        await using var server = await StartAsync(time);
        await using var stream = await SseConnection.OpenAsync(server.Http);
        await stream.NextAsync();
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.That((await PostAsync(server, "pause")).Status, Is.EqualTo(HttpStatusCode.NoContent));
        time.Advance(TimeSpan.FromSeconds(10));
        var paused = JsonDocument.Parse((await SendAsync(server, HttpMethod.Get, "api/control")).Body).RootElement;
        Assert.That((paused.GetProperty("state").GetString(), paused.GetProperty("scenarioTime").GetDouble(), paused.GetProperty("lastEventId").GetInt64()), Is.EqualTo(("paused", 2.0, 0L)));

        Assert.That((await PostAsync(server, "resume")).Status, Is.EqualTo(HttpStatusCode.NoContent));
        time.Advance(TimeSpan.FromMilliseconds(999));
        await Task.Yield();
        Assert.That((await server.GetJsonAsync("healthz")).GetProperty("lastEventId").GetInt64(), Is.EqualTo(0), "the entry at 3 s is now due 10 s later");
        time.Advance(TimeSpan.FromMilliseconds(1));
        var first = (await stream.NextAsync())!.Value;
        Assert.That((first.EventId, first.Data), Is.EqualTo(("1", """{"flight":"I768","state":"landing"}""")));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Restart_ResetsTheBoardAndSendsASnapshotWithAFreshId_ThenPlaysFromTheStart()
    {
        var time = new FakeTimeProvider();
        await using var server = await StartAsync(time);
        await using var stream = await SseConnection.OpenAsync(server.Http);
        await stream.NextAsync();
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.That((await stream.ReadAsync(3)).Select(i => i.EventId), Is.EqualTo(new[] { "1", "2", "3" }));

        Assert.That((await PostAsync(server, "restart")).Status, Is.EqualTo(HttpStatusCode.NoContent));

        var snapshot = (await stream.NextAsync())!.Value;
        Assert.That((snapshot.EventType, snapshot.EventId), Is.EqualTo(("snapshot", "4")));
        Assert.That(snapshot.Data, Does.Contain("\"I768\""));
        time.Advance(TimeSpan.FromSeconds(3));
        var again = (await stream.NextAsync())!.Value;
        Assert.That((again.EventId, again.Data), Is.EqualTo(("5", """{"flight":"I768","state":"landing"}""")));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Close_EndsStreamsWithClosedConnection_ThenNewStreamsGet204_AndTheTimelineStops()
    {
        var time = new FakeTimeProvider();
        await using var server = await StartAsync(time);
        await using var stream = await SseConnection.OpenAsync(server.Http);
        await stream.NextAsync();

        Assert.That((await PostAsync(server, "close")).Status, Is.EqualTo(HttpStatusCode.NoContent));

        Assert.That((await stream.ReadToEndAsync()).Select(i => (i.EventType, i.EventId)), Is.EqualTo(new[] { ("closedConnection", "1") }));
        using (var late = await server.Http.GetAsync("events"))
        {
            Assert.That(late.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }

        time.Advance(TimeSpan.FromSeconds(12));
        await server.Timeline!.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That((await server.GetJsonAsync("healthz")).GetProperty("lastEventId").GetInt64(), Is.EqualTo(1));
        Assert.That((await PostAsync(server, "close")).Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await PostAsync(server, "restart")).Status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await PostAsync(server, "events", """{"event": "flightRemoval", "data": {"flight": "A123"}}""")).Status, Is.EqualTo(HttpStatusCode.Conflict));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Faults_TheNextCountStreamsGetThatStatus_ThenStreamsAgain()
    {
        await using var server = await StartAsync();

        Assert.That((await PostAsync(server, "faults", """{"status": 503, "count": 2}""")).Status, Is.EqualTo(HttpStatusCode.NoContent));

        for (int i = 0; i < 2; i++)
        {
            using var refused = await server.Http.GetAsync("events");
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), $"request {i + 1}");
        }

        await using var stream = await SseConnection.OpenAsync(server.Http);
        Assert.That((await stream.NextAsync())!.Value.EventType, Is.EqualTo("snapshot"));
    }

    [TestCase("""{"status": 199, "count": 1}""", "request:1:2: status: expected an HTTP status from 200 to 599, got 199")]
    [TestCase("""{"status": 600, "count": 1}""", "request:1:2: status: expected an HTTP status from 200 to 599, got 600")]
    [TestCase("""{"status": 302, "count": 1}""", "request:1:1: the body: status 302 needs \"location\", the URL the client is sent to")]
    [TestCase("""{"status": 503, "count": 0}""", "request:1:17: count: expected the number of requests the fault answers, from 1 to 1000000, got 0")]
    [TestCase("""{"status": 503}""", "request:1:1: the body: missing required property 'count' (the number of requests the fault answers, from 1 to 1000000)")]
    [TestCase("""{"count": 2}""", "request:1:1: the body: give \"status\" (200 to 599), \"hold\" or a transport fault (\"bandwidth\", \"latency\", \"reset\", \"stall\", \"truncate\"), and \"count\"")]
    [TestCase("""{"status": 503, "count": 1, "location": "/x"}""", "request:1:29: location: \"location\" only applies to a redirect (301, 302, 303, 307, 308) or 300, not to status 503")]
    [TestCase("""{"status": 304, "count": 1, "location": "/x"}""", "request:1:29: location: \"location\" only applies to a redirect (301, 302, 303, 307, 308) or 300, not to status 304")]
    [TestCase("""{"status": 503, "count": 1, "stall": {"afterEvents": 1}}""", "request:1:29: stall: \"stall\" only applies to a stream (status 200), not to status 503")]
    [TestCase("""{"count": 1, "reset": {"afterEvents": 1, "afterBytes": 5}}""", "request:1:14: reset: give one of \"afterEvents\" (frames with an id, the snapshot included) and \"afterBytes\" (bytes of the body; 0 resets before the head)")]
    [TestCase("""{"count": 1, "latency": {"ms": 10, "jitterMs": 20}}""", "request:1:36: latency.jitterMs: must be at most \"ms\" (10): a write never waits less than 0 ms")]
    [CancelAfter(30_000)]
    public async Task Faults_InvalidRule_Is422AndSetsNothing(string rule, string message)
    {
        await using var server = await StartAsync();

        var (status, body, _) = await PostAsync(server, "faults", rule);

        Assert.That((status, body), Is.EqualTo((HttpStatusCode.UnprocessableEntity, message + "\n")));
        await using var stream = await SseConnection.OpenAsync(server.Http);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Faults_NotModifiedWithoutLocation_IsTakenAndAnsweredWithNoBody(CancellationToken cancellationToken)
    {
        await using var server = await StartAsync();
        Assert.That((await PostAsync(server, "faults", """{"status": 304, "count": 1}""")).Status, Is.EqualTo(HttpStatusCode.NoContent));

        using var response = await server.Http.GetAsync("events", cancellationToken);
        Assert.That((response.StatusCode, response.Headers.Location, await response.Content.ReadAsStringAsync(cancellationToken)), Is.EqualTo((HttpStatusCode.NotModified, (Uri?)null, "")));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Faults_Redirect_SendsItsLocation_AndMalformedIs400()
    {
        await using var server = await StartAsync();
        Assert.That((await PostAsync(server, "faults", "{\"status\": ")).Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await PostAsync(server, "faults", """{"status": 307, "count": 1, "location": "/elsewhere"}""")).Status, Is.EqualTo(HttpStatusCode.NoContent));

        using var raw = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(server.BaseUrl) };
        using var response = await raw.GetAsync("events");
        Assert.That((response.StatusCode, response.Headers.Location?.ToString()), Is.EqualTo((HttpStatusCode.TemporaryRedirect, "/elsewhere")));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Drop_EndsEveryStreamWithoutAnEvent_AndUnknownActionIs404_WrongMethodIs405()
    {
        await using var server = await StartAsync();
        var streams = await server.OpenStreamsAsync(3);

        Assert.That((await PostAsync(server, "drop")).Status, Is.EqualTo(HttpStatusCode.NoContent));
        foreach (var stream in streams)
        {
            Assert.That(await stream.ReadToEndAsync(), Is.Empty);
            await stream.DisposeAsync();
        }

        Assert.That((await PostAsync(server, "explode")).Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await SendAsync(server, HttpMethod.Get, "api/control/pause")).Status, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That((await SendAsync(server, HttpMethod.Post, "api/control", "")).Status, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
    }
}
