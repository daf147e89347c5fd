using System.Text;
using SseFlights.Scenario;

namespace SseFlights.Tests.Unit;

public class ScenarioLoaderTests
{
    private static readonly string RepoRoot = FindRepoRoot();

    private static IReadOnlyList<string> Errors(string json)
    {
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(Encoding.UTF8.GetBytes(json), "s.json"));
        return ex!.Errors;
    }

    private static string Minimal(string timeline, string extra = "") => $$"""
        {
          "name": "T",{{extra}}
          "flights": [ { "flight": "A1", "origin": "Rome", "arrival": "10:10", "state": "" } ],
          "timeline": [
            {{timeline}}
          ]
        }
        """;

    [TestCase("scenario.json")]
    [TestCase("scenarios/tutorial.json")]
    public void LoadFile_BundledScenarios_AreValid(string path)
    {
        var scenario = ScenarioLoader.LoadFile(Path.Combine(RepoRoot, path));
        Assert.That(scenario.Flights.Select(f => f.Code).Take(6), Is.EqualTo(new[] { "A123", "D654", "U213", "A987", "I768", "G119" }));
    }

    [Test]
    public void LoadFile_Tutorial_IsExactlyTheTutorialStory()
    {
        var scenario = ScenarioLoader.LoadFile(Path.Combine(RepoRoot, "scenarios/tutorial.json"));
        var story = scenario.Timeline.Select(e => $"{e.At} {e.EventName} {e.Data}");
        Assert.That(story, Is.EqualTo(new[]
        {
            "3 flightStateUpdate {\"flight\":\"I768\",\"state\":\"landing\"}",
            "6 flightStateUpdate {\"flight\":\"I768\",\"state\":\"landed\"}",
            "9 flightRemoval {\"flight\":\"I768\"}",
            "12 closedConnection ",
        }));
        Assert.That(scenario.Repeat, Is.False);
    }

    [Test]
    public void LoadBundled_IsTheRepeatingMorningWithTheTutorialStoryForI768()
    {
        var scenario = ScenarioLoader.LoadBundled();
        var i768 = scenario.Timeline.Where(e => e.Change?.Code == "I768").Select(e => (e.At, e.Kind, e.Change!.State));
        Assert.That(i768, Is.EqualTo(new[] { (3.0, EntryKind.StateUpdate, (string?)"landing"), (6.0, EntryKind.StateUpdate, "landed"), (9.0, EntryKind.Removal, null) }));
        Assert.That(scenario.Repeat, Is.True);
        Assert.That(scenario.Cycle, Is.InRange(60, 120));
    }

    [Test]
    public void Parse_MalformedJson_NamesLineAndColumn() =>
        Assert.That(Errors("{\n  \"name\": \"T\",\n  \"flights\": [ { \"flight\": \"A1\" \"origin\": \"Rome\" } ]\n}"), Is.EqualTo(new[]
        {
            "s.json:3:33: malformed JSON: '\"' is invalid after a value. Expected either ',', '}', or ']'.",
        }));

    [Test]
    public void Parse_UnknownProperty_SuggestsTheClosestName() =>
        Assert.That(Errors(Minimal("""{ "at": 1, "evnt": "flightRemoval", "data": { "flight": "A1" } }""")), Is.EqualTo(new[]
        {
            "s.json:5:5: timeline[0]: missing \"event\" (an event name), \"action\" (\"drop\"), \"comment\", \"retry\" or \"raw\"",
            "s.json:5:16: timeline[0].evnt: unknown property 'evnt'; did you mean 'event'?",
        }));

    [Test]
    public void Parse_WrongType_SaysWhatWasExpectedAndWhatCame() =>
        Assert.That(Errors(Minimal("""{ "at": "1", "event": "flightRemoval", "data": { "flight": "A1" } }""")), Is.EqualTo(new[]
        {
            "s.json:5:7: timeline[0].at: expected a number of seconds from the cycle start, from 0 to 31536000, got a string",
        }));

    [Test]
    public void Parse_MissingField_NamesTheEntryAndTheField() =>
        Assert.That(Errors(Minimal("""{ "at": 1, "event": "flightStateUpdate", "data": { "flight": "A1" } }""")), Is.EqualTo(new[]
        {
            "s.json:5:46: timeline[0].data: missing required property 'state' (a string)",
        }));

    [Test]
    public void Parse_FileOver10MiB_IsRefusedBeforeParsing()
    {
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(new byte[11 * 1024 * 1024], "big.json"));
        Assert.That(ex!.Errors, Is.EqualTo(new[] { "big.json: the file is 11.0 MiB; a scenario file may be at most 10 MiB" }));
    }

    [Test]
    public void LoadFile_Missing_SaysFileNotFound()
    {
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.LoadFile("/nonexistent/nope.json"));
        Assert.That(ex!.Errors, Is.EqualTo(new[] { "/nonexistent/nope.json: file not found" }));
    }

    [Test]
    public void Parse_SeveralProblems_ReportsEveryOneInFileOrder() =>
        Assert.That(Errors("""
            {
              "name": "S",
              "repeat": true,
              "flights": [
                { "flight": "A1", "origin": "Rome", "arrival": "10:10", "state": "" },
                { "flight": "A1", "origin": "Oslo", "arrival": "11:10", "state": "" }
              ],
              "timeline": [
                { "at": 5, "event": "flightStateUpdate", "data": { "flight": "B2", "state": "landing" } },
                { "at": 4, "event": "flightAddition", "data": { "flight": "A1", "origin": "X", "arrival": "12:00", "state": "" } },
                { "at": 6, "event": "closedConnection" }
              ]
            }
            """), Is.EqualTo(new[]
        {
            "s.json:3:3: repeat: \"repeat\": true needs \"cycle\", the length of one cycle in seconds, greater than the last \"at\" (6)",
            "s.json:6:7: flights[1].flight: flight code 'A1' is already used by flights[0]; flight codes must be unique",
            "s.json:9:56: timeline[0].data.flight: flight 'B2' is not on the board at that point (on the board then: A1)",
            "s.json:10:7: timeline[1].at: 4 is earlier than the previous entry's 5; entries must be in time order",
            "s.json:10:53: timeline[1].data.flight: flight 'A1' is already on the board at that point; use flightStateUpdate to change it",
            "s.json:11:5: timeline[2]: closedConnection is not allowed with \"repeat\": true (a repeating board never closes)",
        }));

    [TestCase("""{ "at": 1, "event": "gateChang", "data": "x" }""", "s.json:5:16: timeline[0].event: unknown event 'gateChang'; did you mean 'gateChange'? a custom event must be listed in \"customEvents\"")]
    [TestCase("""{ "at": 1, "event": "snapshot" }""", "s.json:5:16: timeline[0].event: 'snapshot' is sent by the server itself; use flightAddition, flightRemoval or flightStateUpdate")]
    [TestCase("""{ "at": 1, "event": "a:b" }""", "s.json:5:16: timeline[0].event: an event name must not contain ':'")]
    [TestCase("""{ "at": 1, "event": "a\nb" }""", "s.json:5:16: timeline[0].event: an event name must not contain a line feed")]
    [TestCase("""{ "at": 1, "action": "explode" }""", "s.json:5:16: timeline[0].action: unknown action 'explode'; the only action is \"drop\"")]
    [TestCase("""{ "at": -1, "action": "drop" }""", "s.json:5:7: timeline[0].at: expected a number of seconds from the cycle start, from 0 to 31536000, got -1")]
    [TestCase("""{ "at": 1, "event": "closedConnection", "data": "bye" }""", "s.json:5:45: timeline[0].data: closedConnection carries no data; remove \"data\"")]
    [TestCase("""{ "at": 1, "event": "flightRemoval", "data": { "flight": "A1", "gate": "B" } }""", "s.json:5:68: timeline[0].data.gate: unknown property 'gate'; allowed here: flight")]
    [TestCase("""{ "at": 1, "event": "closedConnection" }, { "at": 2, "action": "drop" }""", "s.json:5:5: timeline[0]: closedConnection must be the last entry; 1 more follow it")]
    public void Parse_BadTimelineEntry_HasItsExactMessage(string entry, string expected) =>
        Assert.That(Errors(Minimal(entry, "\n  \"customEvents\": [\"gateChange\"],")), Is.EqualTo(new[] { expected.Replace("s.json:5:", "s.json:6:") }));

    [TestCase("message")]
    [TestCase("error")]
    [TestCase("open")]
    public void Parse_CustomEventWithEventSourcesOwnName_IsRejectedWhereListedAndWhereUsed(string name) =>
        Assert.That(Errors(Minimal($$"""{ "at": 1, "event": "{{name}}", "data": "x" }""", $"\n  \"customEvents\": [\"{name}\"],")), Is.EqualTo(new[]
        {
            $"s.json:3:20: customEvents[0]: '{name}' is one of EventSource's own event names (message, error, open), which a browser would mistake for its own; choose another name",
            $"s.json:6:16: timeline[0].event: '{name}' is one of EventSource's own event names (message, error, open), which a browser would mistake for its own; choose another name",
        }));

    [Test]
    public void Parse_CustomEventNamedLikeABuiltInEvent_IsRejected() =>
        Assert.That(Errors(Minimal("""{ "at": 1, "action": "drop" }""", "\n  \"customEvents\": [\"flightRemoval\"],")), Is.EqualTo(new[]
        {
            "s.json:3:20: customEvents[0]: 'flightRemoval' is a built-in event; list only your own events here",
        }));

    [Test]
    public void Parse_CycleWithoutRepeat_IsAnError() =>
        Assert.That(Errors(Minimal("""{ "at": 1, "action": "drop" }""", "\n  \"cycle\": 10,")), Is.EqualTo(new[]
        {
            "s.json:3:3: cycle: \"cycle\" only applies with \"repeat\": true; remove it or set \"repeat\": true",
        }));

    [Test]
    public void Parse_CustomEventData_KeepsStringsAsWrittenAndCompactsJson()
    {
        var scenario = ScenarioLoader.Parse(Encoding.UTF8.GetBytes(Minimal(
            """{ "at": 1, "event": "note", "data": "line one\nZürich ✈" }, { "at": 2, "event": "note", "data": { "a" : [ 1, 2 ], "b": "São" } }""",
            "\n  \"customEvents\": [\"note\"],")), "s.json");
        Assert.That(scenario.Timeline.Select(e => e.Data), Is.EqualTo(new[] { "line one\nZürich ✈", "{\"a\":[1,2],\"b\":\"São\"}" }));
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SseFlights.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("SseFlights.sln not found above the test directory");
    }
}
