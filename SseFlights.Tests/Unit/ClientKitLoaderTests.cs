using System.Text;
using SseFlights.Scenario;
using SseFlights.Sse;

namespace SseFlights.Tests.Unit;

/// <summary>The client-testing members of a scenario: wire entries, split, wire, snapshot, responses, description and expect.</summary>
public class ClientKitLoaderTests
{
    private static ScenarioDefinition Load(string json) => ScenarioLoader.Parse(Encoding.UTF8.GetBytes(json), "s.json");

    private static IReadOnlyList<string> Errors(string json) =>
        Assert.Throws<ScenarioException>(() => Load(json))!.Errors;

    private static string Doc(string timeline, string extra = "") =>
        "{\n\"name\": \"T\"," + extra + "\n\"flights\": [],\n\"timeline\": [\n" + timeline + "\n]\n}";

    [Test]
    public void Parse_WireEntries_AreLiveOnlyWithTheirText()
    {
        var scenario = Load(Doc("""
            { "at": 1, "comment": "a\nb" },
            { "at": 1, "retry": 500, "split": { "bytes": 2, "delayMs": 20 } },
            { "at": 2, "raw": "data: a\rdata: b\r\r" }
            """));
        var entries = scenario.Timeline.Select(e => (e.Kind, e.Data, e.Split, e.IsLiveOnly, e.IsEvent));
        Assert.That(entries, Is.EqualTo(new[]
        {
            (EntryKind.Comment, "a\nb", (FrameSplit?)null, true, false),
            (EntryKind.Retry, "500", new FrameSplit(2, 20), true, false),
            (EntryKind.Raw, "data: a\rdata: b\r\r", null, true, false),
        }));
        Assert.That(scenario.EventCount, Is.EqualTo(0));
    }

    [Test]
    public void Parse_ScenarioLevelMembers_AreRead()
    {
        var scenario = Load(Doc("""{ "at": 1, "comment": "x" }""", """
             "description": "D", "snapshot": false, "wire": { "lineEnding": "crlf", "bom": true },
             "responses": [ { "request": 2, "status": 307, "location": "/events?client=a" }, { "request": 3, "contentType": "text/plain", "delayMs": 5, "endAfterMs": 9 } ],
             "expect": { "events": [ { "type": "message", "data": "a", "lastEventId": "" } ], "requests": 2, "retry": 1500 },
            """));
        Assert.That((scenario.Description, scenario.Snapshot, scenario.Wire), Is.EqualTo(("D", false, new WireFormat(LineEnding.Crlf, true))));
        Assert.That(scenario.Responses, Is.EqualTo(new[]
        {
            new ScriptedResponse(new RequestMatch(2, null, null), new ResponseRule(307, "/events?client=a")),
            new ScriptedResponse(new RequestMatch(3, null, null), new ResponseRule(200, null, "text/plain", 5, 9)),
        }));
        Assert.That(scenario.Expect!.Events, Is.EqualTo(new[] { new ExpectedEvent("message", "a", "") }));
        Assert.That((scenario.Expect.Requests, scenario.Expect.Retry), Is.EqualTo((2, (int?)1500)));
    }

    /// <summary>304 Not Modified sends the client nowhere (RFC 9110 §15.4.5), and 300's Location is optional (§15.4.1).</summary>
    [TestCase(304)]
    [TestCase(300)]
    public void Parse_ThreeHundredThatIsNotARedirect_WithoutLocation_IsAccepted(int status)
    {
        var scenario = Load(Doc("""{ "at": 1, "comment": "x" }""", $$"""
             "responses": [ { "request": 2, "status": {{status}} } ],
            """));
        Assert.That(scenario.Responses.Single(), Is.EqualTo(new ScriptedResponse(new RequestMatch(2, null, null), new ResponseRule(status))));
    }

    [Test]
    public void Parse_Defaults_AreLfNoBomWithSnapshotAndNoRules()
    {
        var scenario = Load(Doc("""{ "at": 1, "comment": "" }"""));
        Assert.That((scenario.Wire, scenario.Snapshot, scenario.Responses.Count, scenario.Expect), Is.EqualTo((WireFormat.Default, true, 0, (ClientExpectation?)null)));
    }

    [TestCase("""{ "at": 1, "retry": -1 }""", "s.json:5:12: timeline[0].retry: expected a whole number of milliseconds from 0 to 2147483647, got -1")]
    [TestCase("""{ "at": 1, "retry": 1.5 }""", "s.json:5:12: timeline[0].retry: expected a whole number of milliseconds from 0 to 2147483647, got the number 1.5")]
    [TestCase("""{ "at": 1, "retry": "5" }""", "s.json:5:12: timeline[0].retry: expected a whole number of milliseconds from 0 to 2147483647, got a string")]
    [TestCase("""{ "at": 1, "raw": "" }""", "s.json:5:12: timeline[0].raw: expected the characters to send, got an empty string")]
    [TestCase("""{ "at": 1, "comment": 3 }""", "s.json:5:12: timeline[0].comment: expected a string, got the number 3")]
    [TestCase("""{ "at": 1, "comment": "x", "data": 1 }""", "s.json:5:28: timeline[0].data: a comment entry carries no data; its text is the \"comment\" value")]
    [TestCase("""{ "at": 1, "comment": "x", "raw": "y" }""", "s.json:5:1: timeline[0]: has both \"comment\" and \"raw\"; an entry is one of an event, an action, a comment, a retry or a raw frame")]
    [TestCase("""{ "at": 1, "action": "drop", "split": { "bytes": 1, "delayMs": 0 } }""", "s.json:5:30: timeline[0].split: a drop writes no frame, so there is nothing to split; remove \"split\"")]
    [TestCase("""{ "at": 1, "raw": "x", "split": { "bytes": 0, "delayMs": 0 } }""", "s.json:5:35: timeline[0].split.bytes: expected a whole number of bytes per piece, from 1 to 1048576, got 0")]
    [TestCase("""{ "at": 1, "raw": "x", "split": { "bytes": 1, "delayMs": 60001 } }""", "s.json:5:47: timeline[0].split.delayMs: expected a whole number of milliseconds between pieces, from 0 to 60000, got 60001")]
    [TestCase("""{ "at": 1, "raw": "x", "split": { "bytes": 1 } }""", "s.json:5:24: timeline[0].split: missing required property 'delayMs' (a whole number of milliseconds between pieces, from 0 to 60000)")]
    [TestCase("""{ "at": 1, "raw": "x", "split": 4 }""", "s.json:5:24: timeline[0].split: expected an object with \"bytes\" and \"delayMs\", got the number 4")]
    public void Parse_BadWireEntry_NamesThePositionAndTheProblem(string entry, string expected) =>
        Assert.That(Errors(Doc(entry)), Is.EqualTo(new[] { expected }));

    [TestCase("\"wire\": { \"lineEnding\": \"crcr\" },", "s.json:2:23: wire.lineEnding: expected \"lf\", \"crlf\" or \"cr\", got 'crcr'")]
    [TestCase("\"wire\": { \"bom\": 1 },", "s.json:2:23: wire.bom: expected true or false, got the number 1")]
    [TestCase("\"wire\": { \"lineEnd\": \"lf\" },", "s.json:2:23: wire.lineEnd: unknown property 'lineEnd'; allowed here: lineEnding, bom")]
    [TestCase("\"snapshot\": \"no\",", "s.json:2:13: snapshot: expected true or false, got a string")]
    [TestCase("\"description\": \"\",", "s.json:2:13: description: expected a non-empty string, got an empty string")]
    [TestCase("\"responses\": {},", "s.json:2:13: responses: expected an array of rules, got an object")]
    [TestCase("\"responses\": [ { \"status\": 500 } ],", "s.json:2:28: responses[0]: missing \"request\" (the number of the client's request for /events it answers, counted from 1), \"method\" or \"header\": say which requests the rule answers")]
    [TestCase("\"responses\": [ { \"request\": 0 } ],", "s.json:2:30: responses[0].request: expected the number of the client's request for /events it answers, counted from 1, got 0")]
    [TestCase("\"responses\": [ { \"request\": 1, \"status\": 199 } ],", "s.json:2:44: responses[0].status: expected an HTTP status from 200 to 599, got 199")]
    [TestCase("\"responses\": [ { \"request\": 1, \"status\": 307 } ],", "s.json:2:28: responses[0]: status 307 needs \"location\", the URL the client is sent to")]
    [TestCase("\"responses\": [ { \"request\": 1, \"status\": 301 } ],", "s.json:2:28: responses[0]: status 301 needs \"location\", the URL the client is sent to")]
    [TestCase("\"responses\": [ { \"request\": 1, \"status\": 308 } ],", "s.json:2:28: responses[0]: status 308 needs \"location\", the URL the client is sent to")]
    [TestCase("\"responses\": [ { \"request\": 1, \"location\": \"/x\" } ],", "s.json:2:44: responses[0].location: \"location\" only applies to a redirect (301, 302, 303, 307, 308) or 300, not to status 200")]
    [TestCase("\"responses\": [ { \"request\": 1, \"status\": 304, \"location\": \"/x\" } ],", "s.json:2:59: responses[0].location: \"location\" only applies to a redirect (301, 302, 303, 307, 308) or 300, not to status 304")]
    [TestCase("\"responses\": [ { \"request\": 1, \"status\": 500, \"endAfterMs\": 5 } ],", "s.json:2:59: responses[0].endAfterMs: \"endAfterMs\" only applies to a stream (status 200), not to status 500")]
    [TestCase("\"responses\": [ { \"request\": 1, \"status\": 500, \"contentType\": \"a/b\" } ],", "s.json:2:59: responses[0].contentType: \"contentType\" only applies to a stream (status 200), not to status 500")]
    [TestCase("\"responses\": [ { \"request\": 1, \"contentType\": \"a\\r\\nX: y\" } ],", "s.json:2:44: responses[0].contentType: must not contain CR, LF or NUL (it becomes a header)")]
    [TestCase("\"responses\": [ { \"request\": 1, \"delayMs\": 60001 } ],", "s.json:2:44: responses[0].delayMs: expected a whole number of milliseconds from 0 to 60000, got 60001")]
    [TestCase("\"responses\": [ { \"request\": 1 }, { \"request\": 1 } ],", "s.json:2:48: responses[1].request: request 1 already has a rule at responses[0]; one rule per request")]
    [TestCase("\"responses\": [ { \"request\": 1, \"code\": 1 } ],", "s.json:2:44: responses[0].code: unknown property 'code'; allowed here: request, method, header, status, location, contentType, delayMs, endAfterMs, hold, bandwidth, latency, reset, stall, truncate")]
    [TestCase("\"expect\": { \"events\": [] },", "s.json:2:13: expect: missing required property 'requests' (the number of requests for /events a conforming client makes, from 1 to 1000, or an array of the requests' method, headers and body)")]
    [TestCase("\"expect\": { \"requests\": 1 },", "s.json:2:13: expect: missing required property 'events' (an array of the events a client dispatches)")]
    [TestCase("\"expect\": { \"requests\": 1, \"events\": [ { \"type\": \"m\", \"data\": \"\" } ] },", "s.json:2:52: expect.events[0]: missing required property 'lastEventId' (a string)")]
    [TestCase("\"expect\": { \"requests\": 1, \"retry\": -5, \"events\": [] },", "s.json:2:40: expect.retry: expected the reconnection time in milliseconds a client ends with, from 0 to 2999 (below the 3000 ms default, so the wait tells a client that honours it from one that ignores it), got -5")]
    public void Parse_BadScenarioMember_NamesThePositionAndTheProblem(string extra, string expected) =>
        Assert.That(Errors(Doc("""{ "at": 1, "comment": "x" }""", extra)), Is.EqualTo(new[] { expected }));
}
