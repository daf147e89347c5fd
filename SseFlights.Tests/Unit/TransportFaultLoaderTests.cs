using System.Text;
using SseFlights.Scenario;

namespace SseFlights.Tests.Unit;

/// <summary>
/// A <c>responses</c> rule's transport faults (bandwidth, latency, reset, stall, truncate) and <c>hold</c>:
/// read into the rule, and refused with their position when the shape is wrong, as <c>split</c> is.
/// </summary>
public class TransportFaultLoaderTests
{
    private static ScenarioDefinition Load(string json) => ScenarioLoader.Parse(Encoding.UTF8.GetBytes(json), "s.json");

    private static string Doc(string rule) =>
        "{\n\"name\": \"T\", \"flights\": [], \"timeline\": [ { \"at\": 1, \"comment\": \"x\" } ],\n\"responses\": [ " + rule + " ]\n}";

    [TestCase("""{ "request": 1, "bandwidth": 2000 }""", 2000, null, null)]
    [TestCase("""{ "request": 1, "latency": { "ms": 200, "jitterMs": 50 } }""", null, "200±50", null)]
    [TestCase("""{ "request": 1, "latency": { "ms": 20 }, "reset": { "afterEvents": 2 } }""", null, "20±0", "Reset after 2 events")]
    [TestCase("""{ "request": 1, "reset": { "afterBytes": 0 } }""", null, null, "Reset after 0 bytes")]
    [TestCase("""{ "request": 1, "stall": { "afterEvents": 1 } }""", null, null, "Stall after 1 events")]
    [TestCase("""{ "request": 1, "truncate": { "afterEvents": 1, "bytes": 7 } }""", null, null, "Truncate after 1 events, 7 bytes")]
    public void Parse_TransportFault_IsReadIntoTheRule(string rule, int? bandwidth, string? latency, string? end)
    {
        var fault = Load(Doc(rule)).Responses.Single().Rule.Transport!;

        string? endText = fault.End is { } e ? $"{e.Cut} after {e.AfterEvents?.ToString() ?? e.AfterBytes.ToString()} {(e.AfterEvents is null ? "bytes" : "events")}{(e.Cut == FaultCut.Truncate ? $", {e.TruncateBytes} bytes" : "")}" : null;
        Assert.That((fault.BytesPerSecond, fault.Latency is { } l ? $"{l.Ms}±{l.JitterMs}" : null, endText), Is.EqualTo((bandwidth, latency, end)));
    }

    [Test]
    public void Parse_Hold_IsReadIntoTheRule() =>
        Assert.That(Load(Doc("""{ "request": 1, "hold": true }""")).Responses.Single().Rule, Is.EqualTo(new ResponseRule() { Hold = true }));

    [TestCase("""{ "request": 1, "bandwidth": 0 }""", "s.json:3:32: responses[0].bandwidth: expected a whole number of bytes per second, from 1 to 1000000000, got 0")]
    [TestCase("""{ "request": 1, "latency": { "jitterMs": 5 } }""", "s.json:3:32: responses[0].latency: missing required property 'ms' (a whole number of milliseconds each write waits, from 0 to 60000)")]
    [TestCase("""{ "request": 1, "latency": 50 }""", "s.json:3:32: responses[0].latency: expected an object with \"ms\" and optionally \"jitterMs\", got the number 50")]
    [TestCase("""{ "request": 1, "reset": {} }""", "s.json:3:32: responses[0].reset: give one of \"afterEvents\" (frames with an id, the snapshot included) and \"afterBytes\" (bytes of the body; 0 resets before the head)")]
    [TestCase("""{ "request": 1, "reset": { "afterEvents": -1 } }""", "s.json:3:43: responses[0].reset.afterEvents: expected a whole number of frames with an id (the snapshot included), from 0 to 1000000, got -1")]
    [TestCase("""{ "request": 1, "stall": { "afterEvents": 1, "afterBytes": 5 } }""", "s.json:3:61: responses[0].stall.afterBytes: unknown property 'afterBytes'; allowed here: afterEvents")]
    [TestCase("""{ "request": 1, "truncate": { "afterEvents": 1 } }""", "s.json:3:32: responses[0].truncate: missing required property 'bytes' (a whole number of bytes of the next frame, from 1 to 1048576)")]
    [TestCase("""{ "request": 1, "stall": { "afterEvents": 1 }, "truncate": { "afterEvents": 1, "bytes": 1 } }""", "s.json:3:63: responses[0].truncate: a stream ends one way; \"stall\" is already given")]
    [TestCase("""{ "request": 1, "status": 204, "bandwidth": 10 }""", "s.json:3:47: responses[0].bandwidth: \"bandwidth\" only applies to a stream (status 200), not to status 204")]
    public void Parse_BadTransportFault_NamesThePositionAndTheProblem(string rule, string expected) =>
        Assert.That(Assert.Throws<ScenarioException>(() => Load(Doc(rule)))!.Errors, Is.EqualTo(new[] { expected }));
}
