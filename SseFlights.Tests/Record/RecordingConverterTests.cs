using System.Text;
using SseFlights.Record;
using SseFlights.Scenario;

namespace SseFlights.Tests.Record;

/// <summary>Recorded events in, a scenario the strict loader accepts out: whatever the source sent.</summary>
public class RecordingConverterTests
{
    private const string Snapshot = """{"flights":[{"flight":"A1","origin":"Rome","arrival":"08:00","state":""}]}""";

    private static (ScenarioDefinition Scenario, IReadOnlyList<string> Notes) Convert(params RecordedEvent[] events)
    {
        var converter = new RecordingConverter("test");
        byte[] utf8 = converter.Convert(events);
        return (ScenarioLoader.Parse(utf8, "recorded.json"), converter.Notes);
    }

    private static IEnumerable<(double, string, string)> Timeline(ScenarioDefinition scenario) =>
        scenario.Timeline.Select(e => (e.At, e.EventName, e.Data));

    [Test]
    public void Convert_FirstSnapshot_BecomesTheFlightsAndBoardEventsStayBuiltIn()
    {
        var (scenario, notes) = Convert(
            new(0.001, "snapshot", Snapshot),
            new(1.5, "flightStateUpdate", """{"flight":"A1","state":"landed"}"""),
            new(2.25, "flightAddition", """{"flight":"B2","origin":"Oslo","arrival":"09:00","state":"new"}"""),
            new(3, "flightRemoval", """{"flight":"A1"}"""),
            new(4.125, "closedConnection", ""));

        Assert.That(scenario.Flights, Is.EqualTo(new[] { new Flight("A1", "Rome", "08:00", "") }));
        Assert.That(scenario.CustomEvents, Is.Empty);
        Assert.That(Timeline(scenario), Is.EqualTo(new[]
        {
            (1.5, "flightStateUpdate", """{"flight":"A1","state":"landed"}"""),
            (2.25, "flightAddition", """{"flight":"B2","origin":"Oslo","arrival":"09:00","state":"new"}"""),
            (3.0, "flightRemoval", """{"flight":"A1"}"""),
            (4.125, "closedConnection", ""),
        }));
        Assert.That(notes, Is.Empty);
    }

    [Test]
    public void Convert_UnnamedAndReservedAndColonNames_BecomeValidCustomNames()
    {
        var (scenario, notes) = Convert(
            new(0.5, "message", "hello"),
            new(0.6, "error", "oops"),
            new(0.7, "open", "x"),
            new(0.8, "price:update", "1"),
            new(0.9, "message", "again"));

        Assert.That(scenario.CustomEvents, Is.EqualTo(new[] { "sse-message", "sse-error", "sse-open", "price.update" }));
        Assert.That(Timeline(scenario).Select(e => e.Item2), Is.EqualTo(new[] { "sse-message", "sse-error", "sse-open", "price.update", "sse-message" }));
        Assert.That(notes, Has.Count.EqualTo(4), "one note per renamed type, not per event");
    }

    [Test]
    public void Convert_CustomData_KeepsCompactJsonAsJsonAndEverythingElseAsTheSameText()
    {
        string[] data = ["{\"a\":1}", "[1,2]", "42", "\"quoted\"", "{ \"spaced\": true }", "two\nlines", "", "not json {"];
        var (scenario, _) = Convert([.. data.Select((d, i) => new RecordedEvent(i, "tick", d))]);

        // Whatever the form, the replayed data is the recorded text.
        Assert.That(scenario.Timeline.Select(e => e.Data), Is.EqualTo(data));
        string file = Encoding.UTF8.GetString(new RecordingConverter("t").Convert([new(0, "tick", "{\"a\":1}"), new(1, "tick", "\"quoted\"")]));
        Assert.That(file, Does.Contain("\"data\": {\"a\":1}"));
        Assert.That(file, Does.Contain("\"data\": \"\\\"quoted\\\"\""));
    }

    [Test]
    public void Convert_BoardEventsThatWouldNotApply_AreLeftOutWithANoteAndTheFileStaysValid()
    {
        var (scenario, notes) = Convert(
            new(0, "snapshot", Snapshot),
            new(1, "flightStateUpdate", """{"flight":"ZZ9","state":"landed"}"""),
            new(2, "flightAddition", """{"flight":"A1","origin":"Rome","arrival":"08:00","state":""}"""),
            new(3, "flightRemoval", "not json"),
            new(4, "flightStateUpdate", """{"flight":"A1","colour":"red","state":"x"}"""),
            new(5, "snapshot", Snapshot),
            new(6, "flightStateUpdate", """{"flight":"A1","state":"ok"}"""));

        Assert.That(Timeline(scenario), Is.EqualTo(new[] { (6.0, "flightStateUpdate", """{"flight":"A1","state":"ok"}""") }));
        Assert.That(notes, Has.Count.EqualTo(5));
        Assert.That(notes[0], Is.EqualTo("left out flightStateUpdate at 1 s: event:1:38: data.flight: flight 'ZZ9' is not on the board at that point (on the board then: A1)"));
        Assert.That(notes[2], Is.EqualTo("left out flightRemoval at 3 s: its data is not JSON"));
        Assert.That(notes[4], Does.StartWith("left out the snapshot at 5 s"));
    }

    [Test]
    public void Convert_SnapshotThatIsNotABoard_IsLeftOutAndTheBoardStartsEmpty()
    {
        var (scenario, notes) = Convert(new(0, "snapshot", """{"flights":[{"flight":"A1"}]}"""), new(1, "note", "x"));

        Assert.That(scenario.Flights, Is.Empty);
        Assert.That(Timeline(scenario), Is.EqualTo(new[] { (1.0, "note", "x") }));
        Assert.That(notes, Has.Count.EqualTo(1));
    }

    [Test]
    public void Convert_EventsAfterClosedConnection_AreNotWritten()
    {
        var (scenario, _) = Convert(new(1, "closedConnection", "bye"), new(2, "late", "x"));

        Assert.That(Timeline(scenario), Is.EqualTo(new[] { (1.0, "closedConnection", "") }));
        Assert.That(scenario.CustomEvents, Is.Empty);
    }
}
