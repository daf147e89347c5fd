using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using SseFlights.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace SseFlights.Tests.Browser;

/// <summary>
/// Kiosk mode (/?kiosk) for a wall screen: no buttons, no protocol log, a board that fills the
/// screen, and pages of rows that turn every 8 s with a page indicator. The page's timers run on
/// Playwright's fake clock, so 40 s of paging takes no 40 s. With SSEFLIGHTS_UPDATE_DOCS=1 it also
/// replaces docs/kiosk.png, the README's kiosk screenshot.
/// </summary>
public class KioskTests : BrowserTest
{
    internal const int FlightCount = 40;

    private static readonly string[] Cities = ["London", "Berlin", "Rome", "Oslo", "Tokyo", "Lima", "Cairo", "Dublin", "Madrid", "Vienna"];

    internal static string FortyFlights()
    {
        var flights = Enumerable.Range(0, FlightCount).Select(i => new
        {
            flight = $"K{100 + i}",
            origin = Cities[i % Cities.Length],
            arrival = TimeSpan.FromMinutes(6 * 60 + (i * 9)).ToString(@"hh\:mm", CultureInfo.InvariantCulture),
            state = (i % 4) switch { 0 => "landed", 1 => "on time", 2 => "delayed", _ => "" },
        });
        return JsonSerializer.Serialize(new
        {
            name = "Forty arrivals",
            flights,
            timeline = new object[] { new { at = 3600, @event = "closedConnection" } },
        });
    }

    internal const string VisibleRows = """
        () => [...document.querySelectorAll('#board tbody tr')]
          .filter(tr => !tr.hidden && tr.getBoundingClientRect().height > 0)
          .map(tr => ({ flight: tr.dataset.flight, top: tr.getBoundingClientRect().top, bottom: tr.getBoundingClientRect().bottom }))
        """;

    [Test]
    [CancelAfter(60_000)]
    public async Task Kiosk_FortyFlightsAt1920x1080_HidesControls_FillsTheScreen_AndShowsEveryFlightWithin40Seconds()
    {
        var time = new FakeTimeProvider();
        var server = await StartServerAsync(FortyFlights(), time);
        var page = await OpenPageAsync(server, width: 1920, height: 1080, path: "?kiosk", fakeTimers: true);
        await page.WaitForStatusAsync("live");
        await page.WaitForLastEventIdAsync(0);
        Assert.That(await page.ModelBoardAsync(), Has.Count.EqualTo(FlightCount));

        await Expect(page.StopButton).ToBeHiddenAsync();
        await Expect(page.ResumeButton).ToBeHiddenAsync();
        await Expect(page.Page.Locator("#protocol-log")).ToBeHiddenAsync();
        var indicator = page.Page.Locator("#kiosk-page");
        await Expect(indicator).ToBeVisibleAsync();
        int pages = int.Parse(await indicator.GetAttributeAsync("data-pages") ?? "0", CultureInfo.InvariantCulture);
        Assert.That(pages, Is.InRange(2, 5), "40 rows take more than one screen, and at most 5 pages fit in 40 s");
        await Expect(indicator).ToHaveTextAsync($"Page 1 of {pages}");

        // The board fills the screen: as wide as the window, its rows reaching near the bottom without passing it.
        var table = (await page.Page.Locator("#board").BoundingBoxAsync())!;
        Assert.That(table.Width, Is.GreaterThan(1920 * 0.9));
        double rowHeight = 0;
        var seen = new HashSet<string>();
        for (int turn = 0; turn < pages; turn++)
        {
            await Expect(indicator).ToHaveAttributeAsync("data-page", (turn + 1).ToString(CultureInfo.InvariantCulture));
            var rows = (await page.Page.EvaluateAsync<JsonElement>(VisibleRows)).EnumerateArray().ToList();
            Assert.That(rows, Is.Not.Empty, $"page {turn + 1}");
            Assert.That(rows.Max(r => r.GetProperty("bottom").GetDouble()), Is.LessThanOrEqualTo(1080), $"page {turn + 1} fits the screen");
            if (turn == 0)
            {
                rowHeight = rows[0].GetProperty("bottom").GetDouble() - rows[0].GetProperty("top").GetDouble();
                Assert.That(rowHeight, Is.GreaterThan(40), "rows are scaled up for a wall");
                Assert.That(rows[^1].GetProperty("bottom").GetDouble(), Is.GreaterThan(1080 - (3 * rowHeight)), "the first page fills the screen");
                if (Environment.GetEnvironmentVariable("SSEFLIGHTS_UPDATE_DOCS") == "1")
                {
                    byte[] png = await page.Page.ScreenshotAsync(new PageScreenshotOptions { Type = ScreenshotType.Png, Animations = ScreenshotAnimations.Disabled, Caret = ScreenshotCaret.Hide });
                    await File.WriteAllBytesAsync(Path.Combine(Scenarios.RepoRoot, "docs", "kiosk.png"), png);
                }
            }

            seen.UnionWith(rows.Select(r => r.GetProperty("flight").GetString()!));
            await page.Page.Clock.RunForAsync(8000);
        }

        Assert.That(seen.Order(StringComparer.Ordinal), Is.EqualTo(Enumerable.Range(0, FlightCount).Select(i => $"K{100 + i}")), "every flight shown within 40 s");
        // After the last page the first comes round again.
        await Expect(indicator).ToHaveAttributeAsync("data-page", "1");
    }
}
