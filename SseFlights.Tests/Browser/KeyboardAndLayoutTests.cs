using Microsoft.Extensions.Time.Testing;
using SseFlights.Scenario;
using SseFlights.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace SseFlights.Tests.Browser;

/// <summary>The page works from the keyboard and fits a phone.</summary>
public class KeyboardAndLayoutTests : BrowserTest
{
    [Test]
    [CancelAfter(30_000)]
    public async Task Keyboard_TabReachesStopAndResume_EnterAndSpaceActivateThem()
    {
        var time = new FakeTimeProvider();
        var server = await StartServerAsync(Scenarios.Tutorial, time);
        var page = await OpenPageAsync(server);
        await page.WaitForStatusAsync("live");

        await page.Page.Keyboard.PressAsync("Tab");
        Assert.That(await FocusedIdAsync(page), Is.EqualTo("stop"), "the first Tab stop");
        await page.Page.Keyboard.PressAsync("Enter");
        await page.WaitForStatusAsync("stopped");
        Assert.That(await FocusedIdAsync(page), Is.EqualTo("resume"), "Stop disables itself and hands focus to Resume");

        // From the top again (a click on the heading moves the Tab starting point there):
        // Stop is disabled now, so Tab goes straight to Resume.
        await page.Page.Locator("h1").ClickAsync();
        Assert.That(await FocusedIdAsync(page), Is.Empty, "nothing focused after clicking the heading");
        await page.Page.Keyboard.PressAsync("Tab");
        Assert.That(await FocusedIdAsync(page), Is.EqualTo("resume"));
        await page.Page.Keyboard.PressAsync("Space");
        await page.WaitForStatusAsync("live");
        Assert.That(await FocusedIdAsync(page), Is.EqualTo("stop"), "Resume disables itself and hands focus back to Stop");
        await Expect(page.CaughtUp).ToHaveAttributeAsync("data-count", "0");

        // The resumed stream is live: the next event reaches the board.
        time.AdvanceTo(3);
        await page.WaitForLastEventIdAsync(1);
        Assert.That((await page.ModelBoardAsync()).Single(r => r.Flight == "I768").State, Is.EqualTo("landing"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task NarrowViewport_HasNoSidewaysPageScroll_AndShowsTheWholeBoard()
    {
        var time = new FakeTimeProvider();
        var server = await StartServerAsync(ScenarioLoader.LoadBundled(), time);
        time.AdvanceTo(31);
        await Eventually.ValueAsync(() => server.GetJsonAsync("healthz"), h => h.GetProperty("lastEventId").GetInt64() == 18, TimeSpan.FromSeconds(10), "event 18");

        var page = await OpenPageAsync(server, width: 360, height: 740);
        await page.WaitForStatusAsync("live");
        await page.WaitForLastEventIdAsync(18);
        await page.Page.Locator("#protocol-log summary").ClickAsync();
        await Expect(page.Page.Locator("#frames li.frame")).ToHaveCountAsync(1);

        Assert.That(await page.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(360));
        await Expect(page.Page.Locator("#board")).ToBeVisibleAsync();

        // Long origins (Buenos Aires, São Paulo) wrap, so even the board needs no sideways scroll.
        var board = await page.Page.EvaluateAsync<int[]>("() => { const s = document.querySelector('.board-scroll'); return [s.scrollWidth, s.clientWidth]; }");
        Assert.That(board[0], Is.LessThanOrEqualTo(board[1]), "the board's scroll width within its box");
        var rows = page.Page.Locator("#board tbody tr[data-flight]");
        await Expect(rows).ToHaveCountAsync(7);
        for (int i = 0; i < 7; i++)
        {
            await Expect(rows.Nth(i)).ToBeVisibleAsync();
        }

        Assert.That(await page.DomBoardAsync(), Is.EqualTo(await ServerBoardAsync(server)));
    }

    private static Task<string> FocusedIdAsync(BoardPage page) => page.Page.EvaluateAsync<string>("() => document.activeElement.id");
}
