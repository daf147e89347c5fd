using System.Text;
using SseFlights.Scenario;

namespace SseFlights.Tests.Unit;

/// <summary>
/// A client-pack case's recorded deviations (expect.deviations): read strictly, each naming a known
/// client, a reason and only the observed values that differ from expect; and what each client must
/// observe, which is expect wherever its deviation records nothing.
/// </summary>
public class ClientDeviationLoaderTests
{
    private const string Expect = "\"events\": [ { \"type\": \"message\", \"data\": \"a\", \"lastEventId\": \"\" } ], \"requests\": 2, \"retry\": 1500";

    private static ScenarioDefinition Load(string json) => ScenarioLoader.Parse(Encoding.UTF8.GetBytes(json), "s.json");

    private static IReadOnlyList<string> Errors(string json) =>
        Assert.Throws<ScenarioException>(() => Load(json))!.Errors;

    /// <summary>A case whose expect block holds <paramref name="deviations"/>, on line 4 of the file.</summary>
    private static string Doc(string deviations) =>
        "{\n\"name\": \"T\", \"flights\": [], \"timeline\": [ { \"at\": 1, \"comment\": \"x\" } ],\n\"expect\": { " + Expect + ",\n\"deviations\": " + deviations + " }\n}";

    [Test]
    public void Parse_Deviations_AreReadWithTheirReasonAndOnlyTheValuesThatDiffer()
    {
        var expect = Load(Doc("""
            { "eventsource": { "reason": "R1", "observed": { "requests": 4 } },
              "dotnet": { "reason": "R2", "observed": { "events": [ { "type": "lonely", "data": "a", "lastEventId": "" } ], "retry": 15 } } }
            """)).Expect!;

        Assert.That(expect.Deviations.Keys, Is.EquivalentTo(new[] { "eventsource", "dotnet" }));
        Assert.That(expect.Deviations["eventsource"], Is.EqualTo(new ClientDeviation("R1", null, 4, null)));
        Assert.That(expect.Deviations["dotnet"].Events, Is.EqualTo(new[] { new ExpectedEvent("lonely", "a", "") }));
        Assert.That((expect.Deviations["dotnet"].Reason, expect.Deviations["dotnet"].Requests, expect.Deviations["dotnet"].Retry), Is.EqualTo(("R2", (int?)null, (int?)15)));
    }

    /// <summary>A conforming client never dispatches the type '' (§9.2.6 makes it 'message'), but a deviating one may, and its entry says so.</summary>
    [Test]
    public void Parse_AnEmptyType_IsAcceptedInADeviationsObservedEvents_AndNotInExpect()
    {
        var deviation = Load(Doc("""{ "dotnet": { "reason": "R", "observed": { "events": [ { "type": "", "data": "a", "lastEventId": "" } ] } } }""")).Expect!.Deviations["dotnet"];
        Assert.That(deviation.Events, Is.EqualTo(new[] { new ExpectedEvent("", "a", "") }));

        Assert.That(
            Errors("{\n\"name\": \"T\", \"flights\": [], \"timeline\": [ { \"at\": 1, \"comment\": \"x\" } ],\n\"expect\": { \"events\": [ { \"type\": \"\", \"data\": \"a\", \"lastEventId\": \"\" } ], \"requests\": 1 }\n}"),
            Is.EqualTo(new[] { "s.json:3:27: expect.events[0].type: expected a non-empty string, got an empty string" }));
    }

    [Test]
    public void For_ClientWithADeviation_IsExpectWithItsObservedValuesInstead()
    {
        var expect = Load(Doc("""{ "eventsource": { "reason": "R", "observed": { "requests": 4 } } }""")).Expect!;

        var forIt = expect.For("eventsource");

        Assert.That((forIt.Events, forIt.Requests, forIt.Retry), Is.EqualTo((expect.Events, 4, (int?)1500)));
    }

    [TestCase("chromium")]
    [TestCase("firefox")]
    public void For_ClientWithoutADeviation_IsExactlyExpect(string client)
    {
        var expect = Load(Doc("""{ "eventsource": { "reason": "R", "observed": { "requests": 4 } } }""")).Expect!;

        var forIt = expect.For(client);

        Assert.That((forIt.Events, forIt.Requests, forIt.Retry, forIt.Deviations.Count), Is.EqualTo((expect.Events, 2, (int?)1500, 0)));
    }

    [TestCase("""{ "opera": { "reason": "R", "observed": { "requests": 4 } } }""", "s.json:4:17: expect.deviations.opera: unknown property 'opera'; allowed here: chromium, firefox, eventsource, fetch-event-source, dotnet")]
    [TestCase("""{ "firefux": { "reason": "R", "observed": { "requests": 4 } } }""", "s.json:4:17: expect.deviations.firefux: unknown property 'firefux'; did you mean 'firefox'?")]
    [TestCase("""[]""", "s.json:4:1: expect.deviations: expected an object with a member per deviating client, got an array")]
    [TestCase("""{ "dotnet": "yes" }""", "s.json:4:17: expect.deviations.dotnet: expected an object with \"reason\" and \"observed\", got a string")]
    [TestCase("""{ "dotnet": { "reasons": "R", "observed": { "requests": 4 } } }""", "s.json:4:17: expect.deviations.dotnet: missing required property 'reason' (a non-empty string)|s.json:4:29: expect.deviations.dotnet.reasons: unknown property 'reasons'; did you mean 'reason'?")]
    [TestCase("""{ "dotnet": { "reason": "", "observed": { "requests": 4 } } }""", "s.json:4:29: expect.deviations.dotnet.reason: expected a non-empty string, got an empty string")]
    [TestCase("""{ "dotnet": { "reason": "R" } }""", "s.json:4:17: expect.deviations.dotnet: missing required property 'observed' (what this client observes instead of expect: its events, requests or retry)")]
    [TestCase("""{ "dotnet": { "reason": "R", "observed": 4 } }""", "s.json:4:44: expect.deviations.dotnet.observed: expected an object with the events, requests or retry this client observes instead of expect's, got the number 4")]
    [TestCase("""{ "dotnet": { "reason": "R", "observed": {} } }""", "s.json:4:44: expect.deviations.dotnet.observed: records no departure; give the events, requests or retry this client observes instead of expect's")]
    [TestCase("""{ "dotnet": { "reason": "R", "observed": { "request": 4 } } }""", "s.json:4:58: expect.deviations.dotnet.observed.request: unknown property 'request'; did you mean 'requests'?")]
    [TestCase("""{ "dotnet": { "reason": "R", "observed": { "requests": 0 } } }""", "s.json:4:58: expect.deviations.dotnet.observed.requests: expected the number of requests for /events this client makes, from 1 to 1000, or an array of the requests' method, headers and body, got 0")]
    [TestCase("""{ "dotnet": { "reason": "R", "observed": { "retry": "15" } } }""", "s.json:4:58: expect.deviations.dotnet.observed.retry: expected the reconnection time in milliseconds this client ends with, got a string")]
    [TestCase("""{ "dotnet": { "reason": "R", "observed": { "events": [ { "type": "m", "data": "" } ] } } }""", "s.json:4:70: expect.deviations.dotnet.observed.events[0]: missing required property 'lastEventId' (a string)")]
    [TestCase("""{ "dotnet": { "reason": "R", "observed": { "requests": 2 } } }""", "s.json:4:58: expect.deviations.dotnet.observed.requests: is the same as expect.requests; record only what this client observes differently")]
    [TestCase("""{ "dotnet": { "reason": "R", "observed": { "retry": 1500, "requests": 3 } } }""", "s.json:4:58: expect.deviations.dotnet.observed.retry: is the same as expect.retry; record only what this client observes differently")]
    [TestCase("""{ "dotnet": { "reason": "R", "observed": { "events": [ { "type": "message", "data": "a", "lastEventId": "" } ] } } }""", "s.json:4:58: expect.deviations.dotnet.observed.events: is the same as expect.events; record only what this client observes differently")]
    public void Parse_BadDeviation_NamesThePositionAndTheProblem(string deviations, string expected) =>
        Assert.That(Errors(Doc(deviations)), Is.EqualTo(expected.Split('|')));
}
