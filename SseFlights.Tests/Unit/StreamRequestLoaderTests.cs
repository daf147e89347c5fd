using System.Text;
using SseFlights.Scenario;

namespace SseFlights.Tests.Unit;

/// <summary>
/// The scenario members about how a stream is asked for (issue #24): <c>methods</c>, <c>corsOrigins</c>,
/// <c>clientRequest</c>, <c>responses</c> rules by method and header, and <c>expect.requests</c> as an
/// array of what each request carries; read strictly, each error with its file, line, column and path.
/// </summary>
public class StreamRequestLoaderTests
{
    private static ScenarioDefinition Load(string json) => ScenarioLoader.Parse(Encoding.UTF8.GetBytes(json), "s.json");

    private static IReadOnlyList<string> Errors(string json) =>
        Assert.Throws<ScenarioException>(() => Load(json))!.Errors;

    /// <summary>A scenario whose members <paramref name="extra"/> are on line 2.</summary>
    private static string Doc(string extra) =>
        "{\n\"name\": \"T\"," + extra + "\n\"flights\": [],\n\"timeline\": [ { \"at\": 1, \"comment\": \"x\" } ]\n}";

    [Test]
    public void Parse_WithoutTheMembers_GetsOnlyGetFromTheSameOriginAndEventSourcesOwnRequest()
    {
        var scenario = Load(Doc(""));

        Assert.That((scenario.Methods, scenario.CorsOrigins, scenario.ClientRequest), Is.EqualTo((new[] { "GET" }, Array.Empty<string>(), ClientRequest.EventSource)));
        Assert.That(scenario.ClientRequest.EventSourceCanSend, Is.True);
    }

    [Test]
    public void Parse_MethodsOriginsAndClientRequest_AreRead()
    {
        var scenario = Load(Doc("""
             "methods": ["GET", "POST"], "corsOrigins": ["http://localhost:3000", "*"],
             "clientRequest": { "method": "POST", "headers": { "Content-Type": "application/json" }, "body": "{\"q\":1}", "crossOrigin": true },
            """));

        Assert.That((scenario.Methods, scenario.CorsOrigins), Is.EqualTo((new[] { "GET", "POST" }, new[] { "http://localhost:3000", "*" })));
        var request = scenario.ClientRequest;
        Assert.That((request.Method, request.Headers["content-type"], request.Body, request.CrossOrigin, request.EventSourceCanSend), Is.EqualTo(("POST", "application/json", "{\"q\":1}", true, false)));
    }

    [Test]
    public void Parse_RulesByMethodAndHeader_MatchOnlyTheRequestsTheyName()
    {
        var scenario = Load(Doc("""
             "methods": ["GET", "POST"],
             "responses": [ { "method": "POST", "request": 2, "status": 500 }, { "header": { "name": "Last-Event-ID", "value": null }, "status": 503 } ],
            """));

        var (post, fresh) = (scenario.Responses[0].When, scenario.Responses[1].When);
        Assert.That((post, fresh), Is.EqualTo((new RequestMatch(2, "POST", null), new RequestMatch(null, null, new HeaderMatch("Last-Event-ID", null)))));
        Assert.That(new[] { post.Matches(2, "POST", _ => null), post.Matches(2, "GET", _ => null), post.Matches(1, "POST", _ => null) }, Is.EqualTo(new[] { true, false, false }));
        Assert.That(new[] { fresh.Matches(7, "GET", _ => null), fresh.Matches(7, "GET", name => name == "Last-Event-ID" ? "3" : null) }, Is.EqualTo(new[] { true, false }));
    }

    [Test]
    public void Parse_ExpectRequestsAsAnArray_CountsThemAndKeepsWhatEachCarries()
    {
        var expect = Load(Doc("""
             "expect": { "events": [], "requests": [ { "method": "POST", "headers": { "Last-Event-ID": null, "Accept": "text/event-stream" }, "body": "b" }, { "minSincePreviousMs": 500, "body": null } ] },
            """)).Expect!;

        Assert.That(expect.Requests, Is.EqualTo(2));
        Assert.That(expect.RequestLog, Is.EqualTo(new[]
        {
            new ExpectedRequest("POST", new Dictionary<string, string?> { ["last-event-id"] = null, ["accept"] = "text/event-stream" }, true, "b", null),
            new ExpectedRequest(null, new Dictionary<string, string?>(), true, null, 500),
        }));
    }

    [Test]
    public void Parse_ARequestWithAnUpperBoundOnItsDelay_KeepsTheBound()
    {
        var expect = Load(Doc("""
             "expect": { "events": [], "requests": [ { "method": "GET" }, { "minSincePreviousMs": 100, "maxSincePreviousMs": 1000 } ] },
            """)).Expect!;

        Assert.That(expect.RequestLog![1], Is.EqualTo(new ExpectedRequest(null, new Dictionary<string, string?>(), false, null, 100) { MaxSincePreviousMs = 1000 }));
        Assert.That(expect.RequestLog[1], Is.Not.EqualTo(new ExpectedRequest(null, new Dictionary<string, string?>(), false, null, 100)));
    }

    [Test]
    public void For_ADeviationThatCountsTheRequests_ReplacesTheListWithTheCount()
    {
        var expect = Load(Doc("""
             "expect": { "events": [], "requests": [ { "method": "GET" }, { "method": "GET" } ],
                         "deviations": { "eventsource": { "reason": "R", "observed": { "requests": 3 } }, "firefox": { "reason": "R", "observed": { "requests": [ { "method": "PUT" } ] } } } },
            """)).Expect!;

        Assert.That((expect.For("eventsource").Requests, expect.For("eventsource").RequestLog), Is.EqualTo((3, (IReadOnlyList<ExpectedRequest>?)null)));
        Assert.That(expect.For("firefox").RequestLog!.Select(r => r.Method), Is.EqualTo(new[] { "PUT" }));
        Assert.That(expect.For("chromium").RequestLog, Has.Count.EqualTo(2));
    }

    [TestCase("\"methods\": [],", "s.json:2:13: methods: expected an array of HTTP methods that get the stream, such as [\"GET\", \"POST\"], got an empty array")]
    [TestCase("\"methods\": [\"GET\", \"POTS\"],", "s.json:2:32: methods[1]: unknown method 'POTS'; a stream is sent for GET, POST, PUT, PATCH, DELETE")]
    [TestCase("\"methods\": [\"HEAD\"],", "s.json:2:25: methods[0]: HEAD is always answered (HEAD with the head a GET gets, OPTIONS with Allow and the CORS preflight), never with a stream; remove it")]
    [TestCase("\"methods\": [\"POST\", \"POST\"],", "s.json:2:33: methods[1]: 'POST' is listed twice")]
    [TestCase("\"corsOrigins\": [\"http://x.test/path\"],", "s.json:2:29: corsOrigins[0]: expected an origin such as https://example.com or http://localhost:3000 (no path), or \"*\"; got 'http://x.test/path'")]
    [TestCase("\"clientRequest\": { \"method\": \"POST\" },", "s.json:2:32: clientRequest.method: 'POST' is not one of the scenario's \"methods\" (GET); list it there so the request gets the stream")]
    [TestCase("\"clientRequest\": { \"body\": \"x\" },", "s.json:2:32: clientRequest.body: a GET carries no body here (the server answers one with 400); use another method")]
    [TestCase("\"clientRequest\": { \"headers\": { \"X Y\": \"1\" } },", "s.json:2:45: clientRequest.headers.X Y: 'X Y' is not a header name (RFC 9110 §5.1: letters, digits and !#$%&'*+-.^_`|~)")]
    [TestCase("\"clientRequest\": { \"headers\": { \"X\": \"1\\r\\nY: 2\" } },", "s.json:2:45: clientRequest.headers.X: must not contain CR, LF or NUL")]
    [TestCase("\"clientRequest\": { \"verb\": \"GET\" },", "s.json:2:32: clientRequest.verb: unknown property 'verb'; allowed here: method, headers, body, crossOrigin")]
    [TestCase("\"responses\": [ { \"method\": \"PUT\" } ],", "s.json:2:30: responses[0].method: 'PUT' is not one of the scenario's \"methods\" (GET), so no request with it reaches the stream")]
    [TestCase("\"responses\": [ { \"header\": { \"name\": \"X\" } } ],", "s.json:2:30: responses[0].header: missing required property 'value' (the header's exact value, or null for a request without it)")]
    [TestCase("\"responses\": [ { \"header\": { \"name\": \"X\", \"value\": 1 } } ],", "s.json:2:55: responses[0].header.value: expected the header's exact value (a string), or null for a request without it, got the number 1")]
    [TestCase("\"responses\": [ { \"method\": \"GET\" }, { \"method\": \"GET\" } ],", "s.json:2:51: responses[1].method: a rule with the same request, method and header already has a rule at responses[0]; one rule per request")]
    [TestCase("\"responses\": [ { \"request\": 1, \"status\": 500, \"hold\": true } ],", "s.json:2:59: responses[0].hold: \"hold\" only applies to a stream (status 200), not to status 500")]
    [TestCase("\"expect\": { \"events\": [], \"requests\": [] },", "s.json:2:39: expect.requests: expected from 1 to 1000 requests, got 0")]
    [TestCase("\"expect\": { \"events\": [], \"requests\": [ { \"headers\": { \"Accept\": 1 } } ] },", "s.json:2:68: expect.requests[0].headers.Accept: expected the header's value (a string) or null for a request without it, got the number 1")]
    [TestCase("\"expect\": { \"events\": [], \"requests\": [ { \"body\": 5 } ] },", "s.json:2:55: expect.requests[0].body: expected the body's text, or null for a request without one, got the number 5")]
    [TestCase("\"expect\": { \"events\": [], \"requests\": [ { \"maxSincePreviousMs\": -1 } ] },", "s.json:2:55: expect.requests[0].maxSincePreviousMs: expected the most milliseconds since the client's previous request, from 0 to 3600000, got -1")]
    [TestCase("\"expect\": { \"events\": [], \"requests\": [ { \"minSincePreviousMs\": 500, \"maxSincePreviousMs\": 100 } ] },", "s.json:2:82: expect.requests[0].maxSincePreviousMs: is below minSincePreviousMs (500): no request could meet both")]
    [TestCase("\"expect\": { \"events\": [], \"requests\": [ { \"method\": \"GET\" } ], \"retry\": 3000 },", "s.json:2:76: expect.retry: expected the reconnection time in milliseconds a client ends with, from 0 to 2999 (below the 3000 ms default, so the wait tells a client that honours it from one that ignores it), got 3000")]
    [TestCase("\"expect\": { \"events\": [], \"requests\": [ { \"verb\": \"GET\" } ] },", "s.json:2:55: expect.requests[0].verb: unknown property 'verb'; allowed here: method, headers, body, minSincePreviousMs, maxSincePreviousMs")]
    public void Parse_BadMember_NamesThePositionAndTheProblem(string extra, string expected) =>
        Assert.That(Errors(Doc(extra)), Is.EqualTo(new[] { expected }));

    [Test]
    public void Parse_ADeviationRepeatingExpectsRequestList_IsAnError() =>
        Assert.That(Errors(Doc("""
             "expect": { "events": [], "requests": [ { "method": "GET" } ], "deviations": { "firefox": { "reason": "R", "observed": { "requests": [ { "method": "GET" } ] } } } },
            """)), Is.EqualTo(new[] { "s.json:2:135: expect.deviations.firefox.observed.requests: is the same as expect.requests; record only what this client observes differently" }));
}
