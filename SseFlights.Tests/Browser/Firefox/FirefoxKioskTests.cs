using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace SseFlights.Tests.Browser.Firefox;

/// <summary>
/// Kiosk mode (/?kiosk) at 1920×1080 in Firefox, as KioskTests checks it in Chromium with the same
/// forty flights: no controls, a board that fills the screen, and pages that turn every 8 s, here
/// on the driver's fake timers (setInterval runs when the test says), so 40 s of paging take none.
/// </summary>
public class FirefoxKioskTests : FirefoxTest
{
    [Test]
    [CancelAfter(60_000)]
    public async Task Kiosk_FortyFlightsAt1920x1080_HidesControls_FillsTheScreen_AndShowsEveryFlightWithin40Seconds()
    {
        var time = new FakeTimeProvider();
        var server = await StartServerAsync(KioskTests.FortyFlights(), time);
        var page = await OpenPageAsync(server, width: 1920, height: 1080, path: "?kiosk", fakeTimers: true);
        await page.WaitForStatusAsync("live");
        await page.WaitForLastEventIdAsync(0);
        Assert.That(await page.ModelBoardAsync(), Has.Count.EqualTo(KioskTests.FlightCount));

        Assert.That(await page.IsVisibleAsync("button#stop"), Is.False);
        Assert.That(await page.IsVisibleAsync("button#resume"), Is.False);
        Assert.That(await page.IsVisibleAsync("#protocol-log"), Is.False);
        Assert.That(await page.IsVisibleAsync("#kiosk-page"), Is.True);
        int pages = int.Parse(await page.EvaluateAsync<string>("() => document.getElementById('kiosk-page').dataset.pages"), CultureInfo.InvariantCulture);
        Assert.That(pages, Is.InRange(2, 5), "40 rows take more than one screen, and at most 5 pages fit in 40 s");
        await page.WaitForTextAsync("#kiosk-page", $"Page 1 of {pages}");

        double tableWidth = await page.EvaluateAsync<double>("() => document.getElementById('board').getBoundingClientRect().width");
        Assert.That(tableWidth, Is.GreaterThan(1920 * 0.9));
        var seen = new HashSet<string>();
        for (int turn = 0; turn < pages; turn++)
        {
            await page.WaitForAttributeAsync("#kiosk-page", "data-page", (turn + 1).ToString(CultureInfo.InvariantCulture));
            var rows = (await page.EvaluateAsync<JsonElement>(KioskTests.VisibleRows)).EnumerateArray().ToList();
            Assert.That(rows, Is.Not.Empty, $"page {turn + 1}");
            Assert.That(rows.Max(r => r.GetProperty("bottom").GetDouble()), Is.LessThanOrEqualTo(1080), $"page {turn + 1} fits the screen");
            if (turn == 0)
            {
                double rowHeight = rows[0].GetProperty("bottom").GetDouble() - rows[0].GetProperty("top").GetDouble();
                Assert.That(rowHeight, Is.GreaterThan(40), "rows are scaled up for a wall");
                Assert.That(rows[^1].GetProperty("bottom").GetDouble(), Is.GreaterThan(1080 - (3 * rowHeight)), "the first page fills the screen");
            }

            seen.UnionWith(rows.Select(r => r.GetProperty("flight").GetString()!));
            await page.RunClockAsync(8000);
        }

        Assert.That(seen.Order(StringComparer.Ordinal), Is.EqualTo(Enumerable.Range(0, KioskTests.FlightCount).Select(i => $"K{100 + i}")), "every flight shown within 40 s");
        await page.WaitForAttributeAsync("#kiosk-page", "data-page", "1");
    }
}
