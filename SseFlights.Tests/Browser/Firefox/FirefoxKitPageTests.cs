using System.Text.Json;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Browser.Firefox;

/// <summary>
/// Firefox (Debian's Firefox ESR, headless, over WebDriver BiDi through firefox-driver.mjs) opens
/// <c>sseflights kit</c>'s /kit/ page, which plays the whole pack with its own EventSource (and fetch for the POST
/// cases): the table and the report must grade each case as the pack says Firefox behaves, its recorded
/// deviations included.
/// </summary>
public class FirefoxKitPageTests
{
    [Test]
    [CancelAfter(300_000)]
    public async Task Kit_FullRunInFirefox_GradesEveryCaseAsThePackSays(CancellationToken cancellationToken)
    {
        await using var kit = await TestKit.StartAsync();
        await using var firefox = await Firefox.LaunchAsync();
        int page = (await firefox.SendAsync("newPage", new { width = 1280, height = 900 }).WaitAsync(cancellationToken)).GetInt32();
        firefox.OnPageEvent(page, e =>
        {
            if (e.GetProperty("event").GetString() is "console" or "pageerror")
            {
                TestContext.Out.WriteLine(e.GetRawText());
            }
        });

        await firefox.SendAsync("goto", new { page, url = kit.Page.AbsoluteUri }).WaitAsync(cancellationToken);
        await firefox.SendAsync("waitForFunction", new { page, fn = "() => document.body.dataset.state === 'done'", timeoutMs = 240_000 }).WaitAsync(cancellationToken);
        string json = (await firefox.SendAsync("evaluate", new { page, fn = "() => JSON.stringify(window.kitReport)" }).WaitAsync(cancellationToken)).GetString()!;
        using var report = JsonDocument.Parse(json);

        KitReport.AssertMatchesThePack(report.RootElement, "firefox");
        var table = await firefox.SendAsync("evaluate", new { page, fn = "() => [...document.querySelectorAll('#cases tr')].map(r => `${r.dataset.case}: ${r.dataset.outcome}`)" }).WaitAsync(cancellationToken);
        Assert.That(table.EnumerateArray().Select(r => r.GetString()), Is.EqualTo(KitReport.Outcomes(report.RootElement)));
        var summary = await firefox.SendAsync("evaluate", new { page, fn = "() => document.getElementById('summary').textContent" }).WaitAsync(cancellationToken);
        Assert.That(summary.GetString(), Does.StartWith(report.RootElement.GetProperty("summary").GetString() + " ("));
    }
}
