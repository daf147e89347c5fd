using System.Buffers.Binary;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using SseFlights.Scenario;
using SseFlights.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace SseFlights.Tests.Browser;

/// <summary>
/// A picture of the board mid-scenario, kept with the test results. With SSEFLIGHTS_UPDATE_DOCS=1
/// it also replaces docs/board.png, the README's screenshot (off by default, so a test run never
/// changes a tracked file).
/// </summary>
public class ScreenshotTests : BrowserTest
{
    [Test]
    [CancelAfter(30_000)]
    public async Task Screenshot_BundledScenarioAt30Seconds_ShowsAPopulatedBoard()
    {
        var time = new FakeTimeProvider();
        var server = await StartServerAsync(ScenarioLoader.LoadBundled(), time);
        var page = await OpenPageAsync(server, width: 1280, height: 800);
        await page.WaitForStatusAsync("live");

        // Step through the timeline so the protocol log shows the frames as they came.
        foreach (var (at, id) in new[] { (5.0, 5L), (11, 10), (18, 13), (23, 15), (30, 17) })
        {
            time.AdvanceTo(at);
            await page.WaitForLastEventIdAsync(id);
        }

        await page.Page.Locator("#protocol-log summary").ClickAsync();
        await Expect(page.Page.Locator("#board tbody tr.removing")).ToHaveCountAsync(0);
        var expected = await ServerBoardAsync(server);
        Assert.That(expected.Select(r => r.Flight), Is.EqualTo(new[] { "D654", "U213", "A987", "G119", "K321", "L442" }));
        Assert.That(await page.DomBoardAsync(), Is.EqualTo(expected));

        string path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "board.png");
        byte[] png = await page.Page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = path,
            Type = ScreenshotType.Png,
            Animations = ScreenshotAnimations.Disabled,
            Caret = ScreenshotCaret.Hide,
        });
        TestContext.AddTestAttachment(path, "the board 30 s into the bundled scenario, 1280x800");
        Assert.That(PngSize(png), Is.EqualTo((1280, 800)));

        if (Environment.GetEnvironmentVariable("SSEFLIGHTS_UPDATE_DOCS") == "1")
        {
            string docs = Path.Combine(Scenarios.RepoRoot, "docs");
            Directory.CreateDirectory(docs);
            await File.WriteAllBytesAsync(Path.Combine(docs, "board.png"), png);
        }
    }

    /// <summary>Width and height from the PNG's IHDR chunk, which always comes first.</summary>
    internal static (int Width, int Height) PngSize(byte[] png)
    {
        Assert.That(png[..8], Is.EqualTo(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }), "PNG signature");
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }
}
