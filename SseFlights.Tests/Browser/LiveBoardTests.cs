using Microsoft.Extensions.Time.Testing;
using SseFlights.Scenario;
using SseFlights.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace SseFlights.Tests.Browser;

/// <summary>The board in the page follows the stream: snapshot, updates, additions, removals, in arrival order.</summary>
public class LiveBoardTests : BrowserTest
{
    internal const string Story = """
        {
          "name": "Six steps",
          "flights": [
            { "flight": "A1", "origin": "London", "arrival": "08:15", "state": "" },
            { "flight": "B2", "origin": "Berlin", "arrival": "08:45", "state": "" },
            { "flight": "C3", "origin": "Rome", "arrival": "09:05", "state": "" }
          ],
          "timeline": [
            { "at": 1, "event": "flightStateUpdate", "data": { "flight": "B2", "state": "delayed", "arrival": "09:30" } },
            { "at": 2, "event": "flightAddition", "data": { "flight": "D4", "origin": "Oslo", "arrival": "08:30", "state": "scheduled" } },
            { "at": 3, "event": "flightStateUpdate", "data": { "flight": "A1", "state": "landed" } },
            { "at": 4, "event": "flightRemoval", "data": { "flight": "C3" } },
            { "at": 5, "event": "flightStateUpdate", "data": { "flight": "D4", "state": "on time", "arrival": "08:10" } },
            { "at": 6, "event": "flightStateUpdate", "data": { "flight": "B2", "state": "delayed", "arrival": "08:10" } }
          ]
        }
        """;

    [Test]
    [CancelAfter(30_000)]
    public async Task Board_FollowsSnapshotThenEachUpdateAdditionAndRemoval_InArrivalOrder()
    {
        var time = new FakeTimeProvider();
        var server = await StartServerAsync(Story, time);
        var page = await OpenPageAsync(server);
        await page.WaitForStatusAsync("live");
        await page.WaitForLastEventIdAsync(0);

        var london = new BoardRow("A1", "London", "08:15", "");
        var berlin = new BoardRow("B2", "Berlin", "08:45", "");
        var rome = new BoardRow("C3", "Rome", "09:05", "");
        await AssertBoardAsync(page, 0, [london, berlin, rome]);

        var berlinLate = berlin with { State = "delayed", Arrival = "09:30" };
        var oslo = new BoardRow("D4", "Oslo", "08:30", "scheduled");
        var londonLanded = london with { State = "landed" };
        var osloEarly = oslo with { State = "on time", Arrival = "08:10" };
        var berlinEarly = berlinLate with { Arrival = "08:10" };
        var steps = new (string Event, BoardRow[] Board)[]
        {
            // Berlin is late and moves below Rome.
            ("flightStateUpdate", [london, rome, berlinLate]),
            ("flightAddition", [london, oslo, rome, berlinLate]),
            ("flightStateUpdate", [londonLanded, oslo, rome, berlinLate]),
            ("flightRemoval", [londonLanded, oslo, berlinLate]),
            // Oslo is early and moves to the top.
            ("flightStateUpdate", [osloEarly, londonLanded, berlinLate]),
            // Berlin ties with Oslo at 08:10: the flight code decides, so B2 goes first.
            ("flightStateUpdate", [berlinEarly, osloEarly, londonLanded]),
        };

        for (int id = 1; id <= steps.Length; id++)
        {
            time.AdvanceTo(id);
            await page.WaitForLastEventIdAsync(id);
            await AssertBoardAsync(page, id, steps[id - 1].Board);
        }

        // The removed row fades and then leaves the table.
        await Expect(page.Page.Locator("#board tbody tr")).ToHaveCountAsync(3);
        var frames = await page.FramesAsync();
        Assert.That(frames.Select(f => (f.Id, f.Event)), Is.EqualTo(
            new (long?, string)[] { (0, "snapshot") }.Concat(steps.Select((s, i) => ((long?)(i + 1), s.Event)))));
        Assert.That(frames.Select(f => f.Resent), Has.All.False);
        Assert.That(await page.ModelBoardAsync(), Is.EqualTo(await ServerBoardAsync(server)));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task PageOpenedMidScenario_ShowsTheCurrentBoard_AndKeepsFollowing()
    {
        var time = new FakeTimeProvider();
        var server = await StartServerAsync(ScenarioLoader.LoadBundled(), time);

        // 30 s into the bundled scenario, 17 events have been published (the drop at 44 s is later).
        time.AdvanceTo(30);
        await Eventually.ValueAsync(() => server.GetJsonAsync("healthz"), h => h.GetProperty("lastEventId").GetInt64() == 17, TimeSpan.FromSeconds(10), "event 17");

        var page = await OpenPageAsync(server);
        await page.WaitForStatusAsync("live");
        await page.WaitForLastEventIdAsync(17);
        var expected = await ServerBoardAsync(server);
        Assert.That(expected.Select(r => r.Flight), Is.EqualTo(new[] { "D654", "U213", "A987", "G119", "K321", "L442" }));
        Assert.That(await page.ModelBoardAsync(), Is.EqualTo(expected));
        Assert.That(await page.DomBoardAsync(), Is.EqualTo(expected));
        Assert.That((await page.FramesAsync()).Select(f => (f.Id, f.Event)), Is.EqualTo(new (long?, string)[] { (17, "snapshot") }));
        Assert.That((await server.GetJsonAsync("healthz")).GetProperty("lastEventId").GetInt64(), Is.EqualTo(17));

        time.AdvanceTo(31);
        await page.WaitForLastEventIdAsync(18);
        expected = await ServerBoardAsync(server);
        Assert.That(expected.Select(r => r.Flight), Does.Contain("S808"));
        Assert.That(await page.ModelBoardAsync(), Is.EqualTo(expected));
        Assert.That(await page.DomBoardAsync(), Is.EqualTo(expected));
    }

    private static async Task AssertBoardAsync(BoardPage page, long id, BoardRow[] expected)
    {
        Assert.That(await page.DomBoardAsync(), Is.EqualTo(expected), $"the table after event {id}");
        Assert.That(await page.ModelBoardAsync(), Is.EqualTo(expected), $"window.sseflights.board() after event {id}");
    }
}
