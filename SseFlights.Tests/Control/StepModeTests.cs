using System.Net;
using System.Net.Http.Headers;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Control;

/// <summary>
/// A clock the test drives (issue #24, point 4): with <c>--step</c> the scenario clock stands still, and
/// <c>POST /api/control/advance</c> plays entries at once, answering the ids it published; a <c>hold</c> rule
/// (here, for the requests with <c>X-Hold: yes</c>) sends a key's head and <c>retry:</c> and holds its events until <c>POST /api/control/release?client=KEY</c>,
/// after which the stream goes on from where it joined, nothing lost.
/// </summary>
public class StepModeTests
{
    private const string Token = "t";

    private const string Story = """
        { "name": "S", "customEvents": ["note"], "flights": [], "responses": [ { "header": { "name": "X-Hold", "value": "yes" }, "hold": true } ],
          "timeline": [ { "at": 1, "event": "note", "data": "a" }, { "at": 2, "event": "note", "data": "b" }, { "at": 3, "comment": "c" }, { "at": 4, "event": "closedConnection" } ] }
        """;

    private static Task<TestServer> StartAsync(bool step = true) =>
        TestServer.StartAsync(Story, configure: o => o with { Control = true, ControlToken = Token, Step = step });

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(TestServer server, string path, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/control/" + path) { Content = new StringContent(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var response = await server.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Advance_PlaysEntriesAtOnce_AnsweringTheirIds_AndTheStreamGetsThem()
    {
        await using var server = await StartAsync();
        await using var stream = await SseConnection.OpenAsync(server.Http, "events?client=live");
        Assert.That((await stream.NextAsync())!.Value.EventType, Is.EqualTo("snapshot"));

        Assert.That(await PostAsync(server, "advance", """{"entries": 1}"""), Is.EqualTo((HttpStatusCode.OK, """{"ids":[1],"scenarioTime":1}""")));
        Assert.That((await stream.NextAsync())!.Value.Data, Is.EqualTo("a"));
        Assert.That(await PostAsync(server, "advance", """{"to": 3.5}"""), Is.EqualTo((HttpStatusCode.OK, """{"ids":[2],"scenarioTime":3.5}""")));
        Assert.That((await stream.NextAsync())!.Value.Data, Is.EqualTo("b"));
        Assert.That(await PostAsync(server, "advance", """{"entries": 5}"""), Is.EqualTo((HttpStatusCode.OK, """{"ids":[3],"scenarioTime":4}""")));
        Assert.That((await stream.NextAsync())!.Value.EventType, Is.EqualTo("closedConnection"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task StandingClock_PlaysNothingByItself()
    {
        await using var server = await StartAsync();
        using var stream = await RawConnection.OpenAsync(server.Port);
        await stream.SendAsync("GET /events HTTP/1.1\r\nHost: localhost\r\n\r\n");
        await stream.ReadUntilAsync("id: 0\n\n\r\n");

        Assert.That(await stream.ReceivesWithinAsync(TimeSpan.FromSeconds(1.5)), Is.False, "entry 1 is due at 1 s, and the clock stands still");
        Assert.That((await server.GetJsonAsync("healthz")).GetProperty("lastEventId").GetInt64(), Is.Zero);
    }

    [TestCase("""{"entries": 0}""", HttpStatusCode.UnprocessableEntity, "request:1:2: entries: expected a whole number of entries from 1 to 1000000, got 0\n")]
    [TestCase("""{"entries": 1, "to": 2}""", HttpStatusCode.UnprocessableEntity, "request:1:1: the body: give one of \"entries\" (how many timeline entries to play) and \"to\" (the scenario second to play up to)\n")]
    [TestCase("""{"entrys": 1}""", HttpStatusCode.UnprocessableEntity, "request:1:1: the body: give one of \"entries\" (how many timeline entries to play) and \"to\" (the scenario second to play up to)\nrequest:1:2: entrys: unknown property 'entrys'; did you mean 'entries'?\n")]
    [TestCase("""{"to": """, HttpStatusCode.BadRequest, "Bad request: malformed JSON at line 1, byte 8.\n")]
    [CancelAfter(30_000)]
    public async Task Advance_ABadBody_IsRefusedWithItsPosition(string body, HttpStatusCode status, string answer)
    {
        await using var server = await StartAsync();

        Assert.That(await PostAsync(server, "advance", body), Is.EqualTo((status, answer)));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Advance_ARunningClock_Is409_AndBackwardsIs422()
    {
        await using var running = await StartAsync(step: false);
        Assert.That(await PostAsync(running, "advance", """{"entries": 1}"""), Is.EqualTo((HttpStatusCode.Conflict, "Conflict: the clock is running; advance needs it standing still (start with --step, or pause it).\n")));

        await using var standing = await StartAsync();
        await PostAsync(standing, "advance", """{"to": 2}""");
        Assert.That(await PostAsync(standing, "advance", """{"to": 1}"""), Is.EqualTo((HttpStatusCode.UnprocessableEntity, "The clock only goes forward: it stands at 2 s, after 1.\n")));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Hold_SendsTheHeadAndRetry_HoldsTheEventsUntilReleased_ThenGoesOnWithNothingLost()
    {
        await using var server = await StartAsync();
        using var held = await RawConnection.OpenAsync(server.Port);
        await held.SendAsync("GET /events?client=h HTTP/1.1\r\nHost: localhost\r\nX-Hold: yes\r\n\r\n");
        await held.ReadUntilAsync("retry: 3000\n\n\r\n");

        await PostAsync(server, "advance", """{"entries": 2}""");
        Assert.That(await held.ReceivesWithinAsync(TimeSpan.FromMilliseconds(500)), Is.False, "the snapshot and both events wait");
        Assert.That(await PostAsync(server, "release?client=h", ""), Is.EqualTo((HttpStatusCode.OK, """{"released":1}""")));
        string text = await held.ReadUntilAsync("id: 2\n\n");

        Assert.That(Wire.DecodeChunked(Wire.Split(text).Body).Payload, Is.EqualTo("retry: 3000\n\nevent: snapshot\ndata: {\"flights\":[]}\nid: 0\n\nevent: note\ndata: a\nid: 1\n\nevent: note\ndata: b\nid: 2\n\n"));
        Assert.That(await PostAsync(server, "release?client=h", ""), Is.EqualTo((HttpStatusCode.OK, """{"released":0}""")), "nothing is held any more");
        Assert.That(await PostAsync(server, "release", ""), Is.EqualTo((HttpStatusCode.BadRequest, "Bad request: name the client key whose streams go on: ?client=KEY (empty for requests without one).\n")));
    }
}
