using SseFlights.Kit;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Kit;

/// <summary>The bundled pack as the kit serves it: every case of scenarios/clients/, and each run's redirects kept inside that run.</summary>
public class KitCaseTests
{
    [Test]
    public void Bundled_IsEveryCaseOfTheClientPack() =>
        Assert.That(KitPack.LoadBundled().Select(c => c.Name), Is.EqualTo(ClientPack.Cases()));

    [Test]
    public void ForRun_ARedirectToTheBareStream_GoesToTheSameRunOfTheCaseWithItsQueryKept()
    {
        var kitCase = KitPack.LoadBundled().Single(c => c.Name == "redirect-followed");
        Assert.That(kitCase.Scenario.Responses.Select(r => r.Rule.Location), Is.EqualTo(new[] { "/events?client=redirected" }));

        Assert.That(kitCase.ForRun("r-1").Responses.Select(r => r.Rule.Location), Is.EqualTo(new[] { "/kit/cases/redirect-followed/events?run=r-1&client=redirected" }));
    }

    [Test]
    public void EventTypes_AreMessageTheTimelinesNamesAndTheExpectedTypes() =>
        Assert.That(KitPack.LoadBundled().Single(c => c.Name == "multi-line-data").EventTypes(), Is.EqualTo(new[] { "message", "closedConnection" }));
}
