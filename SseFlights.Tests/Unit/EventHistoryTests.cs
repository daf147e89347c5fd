using SseFlights.Delivery;
using SseFlights.Hub;

namespace SseFlights.Tests.Unit;

public class EventHistoryTests
{
    private static EventHistory With(int capacity, int count)
    {
        var history = new EventHistory(capacity);
        for (int id = 1; id <= count; id++)
        {
            history.Add(TestFrames.Event(id, [(byte)id]));
        }

        return history;
    }

    [Test]
    public void TryGetAfter_WithinTheHistory_ReturnsExactlyTheMissedEventsInOrder()
    {
        Assert.That(With(4, 10).TryGetAfter(7, 10, out var missed), Is.True);
        Assert.That(missed.Select(e => e.Id), Is.EqualTo(new long[] { 8, 9, 10 }));
    }

    [Test]
    public void TryGetAfter_OldestStillHeld_IsTheBoundary()
    {
        var history = With(4, 10);
        Assert.That(history.TryGetAfter(6, 10, out var missed), Is.True);
        Assert.That(missed.Select(e => e.Id), Is.EqualTo(new long[] { 7, 8, 9, 10 }));
        Assert.That(history.TryGetAfter(5, 10, out _), Is.False, "event 6 has been forgotten");
    }

    [Test]
    public void TryGetAfter_UpToDate_IsAnEmptySuccess()
    {
        Assert.That(With(4, 10).TryGetAfter(10, 10, out var missed), Is.True);
        Assert.That(missed, Is.Empty);
    }

    [Test]
    public void ZeroCapacity_HoldsNothing() => Assert.That(With(0, 3).TryGetAfter(2, 3, out _), Is.False);

    [TestCase(2)]
    [TestCase(1)]
    public void Add_IdNotAboveTheNewest_Throws(long id)
    {
        var history = With(4, 2);
        Assert.That(() => history.Add(TestFrames.Event(id, [])), Throws.InvalidOperationException);
    }

    /// <summary>A live log's ids: its sequences, with gaps where a message became no event.</summary>
    private static EventHistory WithIds(int capacity, params long[] ids)
    {
        var history = new EventHistory(capacity);
        foreach (long id in ids)
        {
            history.Add(TestFrames.Event(id, [(byte)id]));
        }

        return history;
    }

    [TestCase(3, new long[] { 5, 8, 9 })]
    [TestCase(4, new long[] { 5, 8, 9 })]
    [TestCase(5, new long[] { 8, 9 })]
    [TestCase(7, new long[] { 8, 9 })]
    [TestCase(8, new long[] { 9 })]
    public void TryGetAfter_IdsWithGaps_FindsTheEventsAfterTheIdEvenWhenItIsNoEventsId(long after, long[] expected)
    {
        var history = WithIds(8, 1, 3, 5, 8, 9);

        Assert.That(history.TryGetAfter(after, 9, out var missed), Is.True);
        Assert.That(missed.Select(e => e.Id), Is.EqualTo(expected));
    }

    [Test]
    public void TryGetAfter_IdsWithGaps_WholeAfterTheLastForgottenIdOnly()
    {
        // 1 and 3 forgotten: the history is whole after 3, whatever came between 3 and 5.
        var history = WithIds(3, 1, 3, 5, 8, 9);

        Assert.That(history.Floor, Is.EqualTo(3));
        Assert.That(history.TryGetAfter(3, 9, out var missed), Is.True);
        Assert.That(missed.Select(e => e.Id), Is.EqualTo(new long[] { 5, 8, 9 }));
        Assert.That(history.TryGetAfter(4, 9, out missed), Is.True);
        Assert.That(missed.Select(e => e.Id), Is.EqualTo(new long[] { 5, 8, 9 }));
        Assert.That(history.TryGetAfter(2, 9, out _), Is.False, "event 3 has been forgotten");
    }

    [Test]
    public void StartAfter_AHistoryThatBeginsMidway_HoldsNothingAtOrBelowItsStart()
    {
        var history = new EventHistory(4);
        history.StartAfter(40);
        history.Add(TestFrames.Event(42, []));

        Assert.That(history.TryGetAfter(40, 42, out var missed), Is.True);
        Assert.That(missed.Select(e => e.Id), Is.EqualTo(new long[] { 42 }));
        Assert.That(history.TryGetAfter(39, 42, out _), Is.False);
        Assert.That(() => history.Add(TestFrames.Event(40, [])), Throws.InvalidOperationException);
    }

    [TestCase("12", true, 12L, "None")]
    [TestCase("0", true, 0L, "None")]
    [TestCase("99999999999999999999", true, long.MaxValue, "None")]
    [TestCase("-3", false, -1L, "Negative")]
    [TestCase("abc", false, -1L, "NotANumber")]
    [TestCase("", false, -1L, "NotANumber")]
    [TestCase("1e3", false, -1L, "NotANumber")]
    [TestCase("٣", false, -1L, "NotANumber")]
    public void TryParseLastEventId_AcceptsOnlyPlainDecimalDigits(string raw, bool ok, long id, string problem)
    {
        Assert.That(JoinPlan.TryParseLastEventId(raw, out long parsed, out LastEventIdProblem why), Is.EqualTo(ok));
        Assert.That((parsed, why), Is.EqualTo((id, Enum.Parse<LastEventIdProblem>(problem))));
    }
}
