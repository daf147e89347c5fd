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

    [Test]
    public void Add_NonConsecutiveId_Throws()
    {
        var history = With(4, 2);
        Assert.That(() => history.Add(TestFrames.Event(5, [])), Throws.InvalidOperationException);
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
