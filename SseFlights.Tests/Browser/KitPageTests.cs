using System.Text.Json;
using Microsoft.Playwright;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Browser;

/// <summary>
/// Chromium (Debian's, headless, through Playwright) opens <c>sseflights kit</c>'s /kit/ page, which plays the
/// whole pack with its own EventSource (and fetch for the POST cases): the table and the report must grade each
/// case as the pack says Chromium behaves. Also takes the README's screenshot of the page
/// (docs/kit.png, replaced only with SSEFLIGHTS_UPDATE_DOCS=1).
/// </summary>
public class KitPageTests
{
    [Test]
    [CancelAfter(300_000)]
    public async Task Kit_FullRunInChromium_GradesEveryCaseAsThePackSays(CancellationToken cancellationToken)
    {
        await using var kit = await TestKit.StartAsync();
        await using var chromium = await Chromium.LaunchAsync();
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        page.Console += (_, message) => TestContext.Out.WriteLine($"console {message.Type}: {message.Text}");

        await page.GotoAsync(kit.Page.AbsoluteUri).WaitAsync(cancellationToken);
        await page.WaitForFunctionAsync("() => document.body.dataset.state === 'done'", null, new PageWaitForFunctionOptions { Timeout = 240_000, PollingInterval = 250 }).WaitAsync(cancellationToken);
        using var report = JsonDocument.Parse(await page.EvaluateAsync<string>("() => JSON.stringify(window.kitReport)"));

        KitReport.AssertMatchesThePack(report.RootElement, "chromium");
        var table = await page.EvalOnSelectorAllAsync<string[]>("#cases tr", "rows => rows.map(r => `${r.dataset.case}: ${r.dataset.outcome}`)");
        Assert.That(table, Is.EqualTo(KitReport.Outcomes(report.RootElement)));
        Assert.That(await page.Locator("#summary").TextContentAsync(), Does.StartWith(report.RootElement.GetProperty("summary").GetString() + " ("));
        Assert.That(await page.Locator("#download").GetAttributeAsync("href"), Does.StartWith("blob:"));

        string path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "kit.png");
        byte[] png = await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, Type = ScreenshotType.Png, Animations = ScreenshotAnimations.Disabled, Caret = ScreenshotCaret.Hide });
        TestContext.AddTestAttachment(path, "/kit/ after a full run in Chromium, 1280x900");
        if (Environment.GetEnvironmentVariable("SSEFLIGHTS_UPDATE_DOCS") == "1")
        {
            await File.WriteAllBytesAsync(Path.Combine(Scenarios.RepoRoot, "docs", "kit.png"), png, cancellationToken);
        }
    }
}
