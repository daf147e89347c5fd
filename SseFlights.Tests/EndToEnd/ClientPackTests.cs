using SseFlights.Scenario;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.EndToEnd;

/// <summary>
/// The client pack in scenarios/clients/ itself: every case the issue names is there, each loads with
/// a description and an expect block and starts at 1 s or later, and README's table lists every case
/// with its counts and, per client, whether it plays the case as the spec says. The clients play the
/// pack in their own fixtures (<see cref="ClientPackFixture"/>).
/// </summary>
[Parallelizable(ParallelScope.All)]
public class ClientPackTests
{
    /// <summary>README's column for each client, in the order of <see cref="ClientExpectation.Clients"/>.</summary>
    private static readonly (string Client, string Heading)[] Columns =
        [("chromium", "Chromium"), ("firefox", "Firefox"), ("eventsource", "npm eventsource"), ("fetch-event-source", "fetch-event-source"), ("dotnet", ".NET SseParser")];

    private static IEnumerable<string> Cases() => ClientPack.Cases();

    /// <summary>What README says of a client in a case: whether it plays it, and whether the case records a deviation for it.</summary>
    private static string Standing(string client, ScenarioDefinition scenario) =>
        client == "dotnet" && !SseParserPackTests.Plays(scenario) ? "not played"
            : client is "chromium" or "firefox" or "eventsource" && !scenario.ClientRequest.EventSourceCanSend ? "not played"
            : scenario.Expect!.Deviations.ContainsKey(client) ? "deviates (see case)"
            : "as spec";

    private static ScenarioDefinition Load(string name) => ClientPack.Load(name);

    [Test]
    public void Pack_HoldsEveryCaseTheIssueNames() =>
        Assert.That(Cases(), Is.SupersetOf(new[]
        {
            "line-endings-lf", "line-endings-crlf", "line-endings-cr", "bom-leading", "bom-later-line", "multi-line-data", "data-space",
            "empty-data-and-no-colon", "comments-between-fields", "unknown-fields", "event-without-data", "id-with-nul", "empty-id-resets",
            "retry-changed", "drop-discards-partial", "one-byte-per-write", "data-1mib", "no-content-stops", "server-error-fails",
            "wrong-content-type-fails", "redirect-followed", "last-event-id-on-reconnect",
        }));

    /// <summary>Issue #24's growth of the pack: data sizes, each transport fault, a POST's body on reconnect, the request headers, backoff and CORS.</summary>
    [Test]
    public void Pack_HoldsEveryCaseIssue24Names_FortyFiveInAll()
    {
        Assert.That(Cases(), Is.SupersetOf(new[]
        {
            "data-1-byte", "data-1kib", "data-4kib", "data-8kib", "data-16kib", "data-64kib", "data-1mib",
            "bandwidth-throttled", "latency-per-write", "reset-after-event", "reset-mid-event", "stall-then-close", "truncate-mid-event",
            "post-body-on-reconnect", "request-headers", "backoff-several-failures", "cors-preflight", "cors-eventsource",
        }));
        Assert.That(Cases().Count(), Is.GreaterThanOrEqualTo(45));
    }

    /// <summary>Each case says which rule it checks: the new ones name their WHATWG HTML section (or Fetch's).</summary>
    [TestCaseSource(nameof(Cases))]
    public void Case_DescriptionNamesTheRuleItChecks(string name) =>
        Assert.That(Load(name).Description, Does.Match(@"(WHATWG HTML|Fetch) §\d"));

    [Test]
    public void Readme_TestYourClientTable_ColumnsAreEveryClientADeviationMayName() =>
        Assert.That(Columns.Select(c => c.Client), Is.EqualTo(ClientExpectation.Clients));

    [Test]
    public void Readme_TestYourClientTable_ListsEveryCaseWithItsCountsAndWhatEachClientDoes()
    {
        string readme = File.ReadAllText(Path.Combine(Scenarios.RepoRoot, "README.md"));
        var table = readme[readme.IndexOf("## Test your client", StringComparison.Ordinal)..].Split('\n').Select(l => l.TrimEnd('\r'))
            .SkipWhile(l => !l.StartsWith("| case |", StringComparison.Ordinal)).TakeWhile(l => l.StartsWith('|')).ToList();

        string header = $"| case | what it checks | events | requests | retry | {string.Join(" | ", Columns.Select(c => c.Heading))} |";
        var expected = Cases().Select(name => (Name: name, Case: Load(name))).Select(c =>
            $"| `{c.Name}` | {c.Case.Description} | {c.Case.Expect!.Events.Count} | {c.Case.Expect.Requests} |{(c.Case.Expect.Retry is { } retry ? $" {retry} " : " ")}| "
            + string.Join(" | ", Columns.Select(column => Standing(column.Client, c.Case))) + " |");
        Assert.That(table.FirstOrDefault(), Is.EqualTo(header));
        Assert.That(table.Skip(2), Is.EqualTo(expected));
    }

    [TestCaseSource(nameof(Cases))]
    public void Case_HasADescriptionAnExpectAndStartsAtOneSecondOrLater(string name)
    {
        var scenario = Load(name);
        Assert.That(scenario.Description, Is.Not.Null.And.Not.Empty);
        Assert.That(scenario.Expect, Is.Not.Null);
        Assert.That(scenario.Timeline[0].At, Is.GreaterThanOrEqualTo(1));
    }
}
