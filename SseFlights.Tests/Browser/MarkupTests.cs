using Microsoft.Extensions.Time.Testing;
using static Microsoft.Playwright.Assertions;

namespace SseFlights.Tests.Browser;

/// <summary>Scenario text is shown as text: markup in flights, states and custom event data never runs and appears as written.</summary>
public class MarkupTests : BrowserTest
{
    private const string Img = "<img src=x onerror=\"window.__ran=(window.__ran||0)+1\">";
    private const string Script = "<script>window.__ran=(window.__ran||0)+1</script>";

    private static readonly string Hostile = $$"""
        {
          "name": "Hostile {{Escape(Script)}}",
          "customEvents": ["gateNote"],
          "flights": [
            { "flight": "{{Escape(Script)}}", "origin": "{{Escape(Img)}}", "arrival": "08:15", "state": "{{Escape(Img)}}" },
            { "flight": "{{Escape(Img)}}", "origin": "{{Escape(Script)}}", "arrival": "08:45", "state": "{{Escape(Script)}}" }
          ],
          "timeline": [
            { "at": 1, "event": "flightAddition", "data": { "flight": "Z1{{Escape(Img)}}", "origin": "Oslo", "arrival": "09:00", "state": "{{Escape(Script)}}" } },
            { "at": 2, "event": "gateNote", "data": "{{Escape(Img)}}{{Escape(Script)}}" }
          ]
        }
        """;

    private static string Escape(string text) => text.Replace("\"", "\\\"", StringComparison.Ordinal);

    [Test]
    [CancelAfter(30_000)]
    public async Task HostileScenarioText_NothingRuns_AndEveryStringAppearsAsWritten()
    {
        var time = new FakeTimeProvider();
        var server = await StartServerAsync(Hostile, time);
        var page = await OpenPageAsync(server);
        await page.WaitForLastEventIdAsync(0);
        time.AdvanceTo(2);
        await page.WaitForLastEventIdAsync(2);
        await page.Page.Locator("#protocol-log summary").ClickAsync();

        Assert.That(await page.DomBoardAsync(), Is.EqualTo(new[]
        {
            new BoardRow(Script, Img, "08:15", Img),
            new BoardRow(Img, Script, "08:45", Script),
            new BoardRow("Z1" + Img, "Oslo", "09:00", Script),
        }));
        await Expect(page.Page.Locator("#scenario-name")).ToHaveTextAsync("Hostile " + Script);
        await Expect(page.Page.Locator("#frames li[data-event='gateNote'] code")).ToHaveTextAsync(Img + Script);

        // Not one element came from the data: no img or script beyond the page's own.
        Assert.That(await page.Page.Locator("main img, main script, #board tbody *:not(tr):not(td):not(span)").CountAsync(), Is.EqualTo(0));
        Assert.That(await page.Page.EvaluateAsync<int>("() => document.querySelectorAll('script').length"), Is.EqualTo(1));
        Assert.That(await page.Page.EvaluateAsync<bool>("() => window.__ran === undefined"), Is.True, "markup from the scenario ran");
    }
}
