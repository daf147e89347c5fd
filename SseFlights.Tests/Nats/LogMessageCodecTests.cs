using System.Text;
using SseFlights.Nats;
using SseFlights.Scenario;

namespace SseFlights.Tests.Nats;

/// <summary>The log's message format: every shape read as the control API reads it, every refusal with the validator's exact words, and writing that reads back as the same entry.</summary>
public class LogMessageCodecTests
{
    private static readonly LogMessageCodec Codec = new(["gateChange"]);

    private static LogMessage Decode(string body, long sequence = 7) => Codec.Decode(sequence, Encoding.UTF8.GetBytes(body));

    private static TimelineEntry EntryOf(string body)
    {
        var message = Decode(body);
        Assert.That(message, Is.TypeOf<LogEntry>(), () => message is LogRefusal refusal ? string.Join("\n", refusal.Errors) : message.ToString());
        Assert.That(message.Sequence, Is.EqualTo(7));
        return ((LogEntry)message).Entry;
    }

    private static IReadOnlyList<string> ErrorsOf(string body) => ErrorsOf(Encoding.UTF8.GetBytes(body));

    private static IReadOnlyList<string> ErrorsOf(byte[] body)
    {
        var message = Codec.Decode(7, body);
        Assert.That(message, Is.TypeOf<LogRefusal>());
        Assert.That(message.Sequence, Is.EqualTo(7));
        return ((LogRefusal)message).Errors;
    }

    [TestCase("""{"event": "flightStateUpdate", "data": {"flight": "A1", "state": "landed", "arrival": "10:02"}}""", "StateUpdate", "flightStateUpdate", """{"flight":"A1","state":"landed","arrival":"10:02"}""")]
    [TestCase("""{"event": "flightAddition", "data": {"flight": "K3", "origin": "Oslo", "arrival": "11:00", "state": "scheduled"}}""", "Addition", "flightAddition", """{"flight":"K3","origin":"Oslo","arrival":"11:00","state":"scheduled"}""")]
    [TestCase("""{"event": "flightRemoval", "data": {"flight": "A1"}}""", "Removal", "flightRemoval", """{"flight":"A1"}""")]
    [TestCase("""{"event": "closedConnection"}""", "Close", "closedConnection", "")]
    [TestCase("""{"event": "gateChange", "data": "A1 from Rome\nnow at gate B12"}""", "Custom", "gateChange", "A1 from Rome\nnow at gate B12")]
    [TestCase("""{"event": "gateChange", "data": {"flight": "A1", "gate": "B12"}}""", "Custom", "gateChange", """{"flight":"A1","gate":"B12"}""")]
    [TestCase("""{"event": "gateChange"}""", "Custom", "gateChange", "")]
    [TestCase("""{"action": "drop"}""", "Drop", "", "")]
    [TestCase("""{"comment": "still here\nsecond line"}""", "Comment", "", "still here\nsecond line")]
    [TestCase("""{"retry": 5000}""", "Retry", "", "5000")]
    [TestCase("""{"raw": "data: half a fr"}""", "Raw", "", "data: half a fr")]
    [CancelAfter(10_000)]
    public void Decode_EveryEntryShape_IsTheEntryTheControlApiWouldApply(string body, string kind, string eventName, string data)
    {
        var entry = EntryOf(body);

        Assert.That((entry.Kind.ToString(), entry.EventName, entry.Data, entry.At, entry.Split), Is.EqualTo((kind, eventName, data, 0.0, (FrameSplit?)null)));
    }

    [Test]
    [CancelAfter(10_000)]
    public void Decode_BoardEvent_CarriesItsChange_AndASplitWhenGiven()
    {
        var entry = EntryOf("""{"event": "flightStateUpdate", "data": {"flight": "A1", "state": "landed"}, "split": {"bytes": 3, "delayMs": 20}}""");

        Assert.That(entry.Change, Is.EqualTo(new FlightChange("A1", null, null, "landed")));
        Assert.That(entry.Split, Is.EqualTo(new FrameSplit(3, 20)));
    }

    [Test]
    [CancelAfter(10_000)]
    public void Decode_Reset_IsAResetAtItsSequence()
    {
        Assert.That(Decode("""{"action": "reset"}""", sequence: 42), Is.EqualTo(new LogReset(42)));
    }

    [TestCase("""{"event": "flightStateUpdat", "data": {"flight": "A1", "state": "x"}}""",
        "sequence 7:1:2: event: unknown event 'flightStateUpdat'; did you mean 'flightStateUpdate'? a custom event must be listed in \"customEvents\"")]
    [TestCase("""{"at": 3, "event": "closedConnection"}""", "sequence 7:1:2: at: a live entry is applied at once; remove \"at\"")]
    [TestCase("""{"event": "flightAddition", "data": {"flight": "K3", "state": "new"}}""",
        "sequence 7:1:29: data: missing required property 'origin' (a non-empty string)",
        "sequence 7:1:29: data: missing required property 'arrival' (a non-empty string)")]
    [TestCase("""{"event": "snapshot", "data": {}}""", "sequence 7:1:2: event: 'snapshot' is sent by the server itself; use flightAddition, flightRemoval or flightStateUpdate")]
    [TestCase("""{"action": "rest"}""", "sequence 7:1:2: action: unknown action 'rest'; the actions are \"drop\" and \"reset\"")]
    [TestCase("""{"action": "reset", "data": 1}""", "sequence 7:1:21: data: unknown property 'data'; allowed here: action")]
    [TestCase("""{"action": "reset", "action": "reset"}""", "sequence 7:1:2: action: property 'action' appears twice; keep one")]
    [TestCase("""{"action": "drop", "split": {"bytes": 1, "delayMs": 0}}""", "sequence 7:1:20: split: a drop writes no frame, so there is nothing to split; remove \"split\"")]
    [TestCase("""{"retry": -1}""", "sequence 7:1:2: retry: expected a whole number of milliseconds from 0 to 2147483647, got -1")]
    [TestCase("""{"comment": "x", "raw": "y"}""", "sequence 7:1:1: the scenario: has both \"comment\" and \"raw\"; an entry is one of an event, an action, a comment, a retry or a raw frame")]
    [TestCase("""["flightStateUpdate"]""", "sequence 7:1:1: the scenario: expected a timeline entry with \"at\" and \"event\" (or \"action\"), got an array")]
    [TestCase("""{"event": "flightStateUpdate", "data":""", "sequence 7:1:39: malformed JSON: Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed.")]
    [TestCase("", "sequence 7: empty; a message is a JSON timeline entry such as {\"event\": \"flightStateUpdate\", \"data\": {...}}")]
    [CancelAfter(10_000)]
    public void Decode_BadMessage_IsRefusedNamingTheSequenceAndWhatIsWrong(string body, params string[] errors)
    {
        Assert.That(ErrorsOf(body), Is.EqualTo(errors));
    }

    [Test]
    [CancelAfter(10_000)]
    public void Decode_NotUtf8_IsRefusedInOneLine()
    {
        Assert.That(ErrorsOf([(byte)'{', 0xC3, 0x28, (byte)'}']), Is.EqualTo(new[]
        {
            "sequence 7: not UTF-8 text; a message is a JSON timeline entry such as {\"event\": \"flightStateUpdate\", \"data\": {...}}",
        }));
    }

    [Test]
    [CancelAfter(10_000)]
    public void BoardProblem_FlightNotOnTheBoard_IsTheValidatorsMessageLocatedInTheMessage()
    {
        var entry = (LogEntry)Decode("""{"event": "flightRemoval", "data": {"flight": "B2"}}""", sequence: 12);

        Assert.That(entry.BoardProblem(["A1", "C3"]), Is.EqualTo("sequence 12:1:37: data.flight: flight 'B2' is not on the board at that point (on the board then: A1, C3)"));
        Assert.That(entry.BoardProblem(["A1", "B2"]), Is.Null);
    }

    [Test]
    [CancelAfter(10_000)]
    public void BoardProblem_AdditionOfAFlightOnTheBoard_IsRefused_AndNonBoardEntriesAlwaysApply()
    {
        var addition = (LogEntry)Decode("""{"event": "flightAddition", "data": {"flight": "A1", "origin": "Oslo", "arrival": "11:00", "state": ""}}""");
        var comment = (LogEntry)Decode("""{"comment": "hi"}""");

        Assert.That(addition.BoardProblem(["A1"]), Is.EqualTo("sequence 7:1:38: data.flight: flight 'A1' is already on the board at that point; use flightStateUpdate to change it"));
        Assert.That(comment.BoardProblem([]), Is.Null);
    }

    [Test]
    [CancelAfter(10_000)]
    public void Encode_ScenarioEntries_AreTheControlApiBodies()
    {
        var scenario = Scenario();

        Assert.That(scenario.Timeline.Select(e => Encoding.UTF8.GetString(LogMessageCodec.Encode(e))), Is.EqualTo(new[]
        {
            """{"event":"flightStateUpdate","data":{"flight":"A1","state":"landing","arrival":"10:02"}}""",
            """{"event":"gateChange","data":"A1 from Rome\nnow at gate B12 – Zürich"}""",
            """{"event":"gateChange","data":{"flight":"A1","gate":"B12"}}""",
            """{"event":"gateChange","data":"{ \"spaced\": true }"}""",
            """{"event":"gateChange","data":"\"quoted\""}""",
            """{"event":"gateChange"}""",
            """{"action":"drop"}""",
            """{"comment":"still here\nsecond line"}""",
            """{"retry":5000}""",
            """{"raw":"data: x\r\n\r\n"}""",
            """{"event":"flightAddition","data":{"flight":"K3","origin":"Oslo","arrival":"11:00","state":"new"},"split":{"bytes":3,"delayMs":20}}""",
            """{"event":"flightRemoval","data":{"flight":"K3"}}""",
            """{"event":"closedConnection"}""",
        }));
        Assert.That(Encoding.UTF8.GetString(LogMessageCodec.EncodeReset()), Is.EqualTo("""{"action":"reset"}"""));
    }

    [Test]
    [CancelAfter(10_000)]
    public void EncodeThenDecode_EveryEntry_ReadsBackAsTheSameEntry()
    {
        var scenario = Scenario();
        var codec = new LogMessageCodec(scenario.CustomEvents);

        var decoded = scenario.Timeline.Select((e, i) => codec.Decode(i + 1, LogMessageCodec.Encode(e))).ToList();

        Assert.That(decoded.Select(m => m is LogEntry entry ? entry.Entry : null), Is.EqualTo(scenario.Timeline.Select(e => e with { Index = 0, At = 0 })));
        Assert.That(codec.Decode(99, LogMessageCodec.EncodeReset()), Is.EqualTo(new LogReset(99)));
    }

    private static ScenarioDefinition Scenario() => ScenarioLoader.Parse(Encoding.UTF8.GetBytes("""
        {
          "name": "Every shape",
          "customEvents": ["gateChange"],
          "flights": [ { "flight": "A1", "origin": "Rome", "arrival": "10:10", "state": "" } ],
          "timeline": [
            { "at": 1, "event": "flightStateUpdate", "data": { "flight": "A1", "state": "landing", "arrival": "10:02" } },
            { "at": 2, "event": "gateChange", "data": "A1 from Rome\nnow at gate B12 – Zürich" },
            { "at": 3, "event": "gateChange", "data": { "flight": "A1", "gate": "B12" } },
            { "at": 4, "event": "gateChange", "data": "{ \"spaced\": true }" },
            { "at": 5, "event": "gateChange", "data": "\"quoted\"" },
            { "at": 6, "event": "gateChange" },
            { "at": 7, "action": "drop" },
            { "at": 8, "comment": "still here\nsecond line" },
            { "at": 9, "retry": 5000 },
            { "at": 10, "raw": "data: x\r\n\r\n" },
            { "at": 11, "event": "flightAddition", "data": { "flight": "K3", "origin": "Oslo", "arrival": "11:00", "state": "new" }, "split": { "bytes": 3, "delayMs": 20 } },
            { "at": 12, "event": "flightRemoval", "data": { "flight": "K3" } },
            { "at": 13, "event": "closedConnection" }
          ]
        }
        """), "shapes.json");
}
