using SseFlights.Delivery;
using SseFlights.Hub;

namespace SseFlights.Tests.Unit;

/// <summary>How a stream starts, as a pure decision: the same facts and Last-Event-ID give the same plan.</summary>
public class JoinPolicyTests
{
    private static readonly JoinFacts Open = new(LastId: 10, Closed: false, OpenStreams: 3, MaxClients: 100, Stopping: false, Failure: null, SendsSnapshots: true, HoldHorizon: null);

    /// <summary>A history holding ids 6 to 10, a snapshot at 10, and after the close the final board at 9 then the close 10.</summary>
    private sealed class Frames(bool closed = false) : IJoinFrames
    {
        public static readonly Frame Now = Frame.WithId(FrameKind.Snapshot, 10, "snapshot", [1]);
        public static readonly Frame Final = Frame.WithId(FrameKind.Snapshot, 9, "snapshot", [2]);
        public static readonly Frame Close = Frame.WithId(FrameKind.Close, 10, "closedConnection", [3]);

        public bool TryResendAfter(long id, out Frame[] missed)
        {
            missed = id >= 5 ? [.. Enumerable.Range((int)id + 1, 10 - (int)id).Select(i => i == 10 && closed ? Close : Frame.WithId(FrameKind.Event, i, "e", []))] : [];
            return id >= 5;
        }

        public Frame Snapshot() => Now;

        public Frame[] FinalSnapshotThenClose() => [Final, Close];
    }

    private static JoinPlan Decide(string? lastEventId, JoinFacts? facts = null) => JoinPolicy.Decide(lastEventId, facts ?? Open, new Frames((facts ?? Open).Closed));

    [Test]
    public void NoId_IsASnapshotOfTheBoardNow() =>
        Assert.That((Decide(null).Kind, Decide(null).Frames.Single()), Is.EqualTo((JoinKind.Snapshot, Frames.Now)));

    [TestCase("7", "Resume", new long[] { 8, 9, 10 }, TestName = "IdInTheHistory_ResendsExactlyWhatCameAfterIt")]
    [TestCase("10", "Live", new long[0], TestName = "NewestId_IsLiveWithNothingResent")]
    [TestCase("11", "Snapshot", new long[] { 10 }, TestName = "IdBeyondTheNewest_OnOneNode_IsASnapshot")]
    [TestCase("3", "Snapshot", new long[] { 10 }, TestName = "IdOlderThanTheHistory_IsASnapshot")]
    [TestCase("-4", "Snapshot", new long[] { 10 }, TestName = "NegativeId_IsASnapshot")]
    [TestCase("abc", "Snapshot", new long[] { 10 }, TestName = "IdThatIsNotANumber_IsASnapshot")]
    public void OpenBoard(string lastEventId, string kind, long[] ids)
    {
        var plan = Decide(lastEventId);

        Assert.That((plan.Kind, plan.Frames.Select(f => f.Id)), Is.EqualTo((Enum.Parse<JoinKind>(kind), ids)));
        Assert.That(plan.HistoryTooShort, Is.EqualTo(lastEventId == "3"), "a history miss is said so, for the metrics");
    }

    [TestCase(null, "NoContent", new long[0], TestName = "AfterTheClose_NoId_Is204")]
    [TestCase("abc", "NoContent", new long[0], TestName = "AfterTheClose_NotANumber_Is204")]
    [TestCase("10", "NoContent", new long[0], TestName = "AfterTheClose_TheClosesId_Is204")]
    [TestCase("8", "Resume", new long[] { 9, 10 }, TestName = "AfterTheClose_AnOlderId_ResendsUpToTheClose")]
    [TestCase("3", "Snapshot", new long[] { 9, 10 }, TestName = "AfterTheClose_AnIdTooOld_GetsTheFinalBoardThenTheClose")]
    [TestCase("-1", "Snapshot", new long[] { 9, 10 }, TestName = "AfterTheClose_ANegativeId_GetsTheFinalBoardThenTheClose")]
    public void ClosedBoard(string? lastEventId, string kind, long[] ids)
    {
        var plan = Decide(lastEventId, Open with { Closed = true });

        Assert.That((plan.Kind, plan.Frames.Select(f => f.Id)), Is.EqualTo((Enum.Parse<JoinKind>(kind), ids)));
        Assert.That(plan.Subscribes, Is.False, "after the close nothing more comes: no slot");
    }

    [Test]
    public void IdAheadWithinTheHoldHorizon_IsHeldUntilReached_ThenLive()
    {
        var plan = Decide("12", Open with { HoldHorizon = 12 });

        Assert.That((plan.Kind, plan.Frames.Count, plan.HeldUntil, plan.Subscribes), Is.EqualTo((JoinKind.Live, 0, (long?)12, true)));
        Assert.That(Decide("13", Open with { HoldHorizon = 12 }).Kind, Is.EqualTo(JoinKind.Snapshot), "beyond the horizon");
    }

    [Test]
    public void BareStream_WhatWouldBeASnapshot_StartsLiveWithNothing()
    {
        var plan = Decide(null, Open with { SendsSnapshots = false });

        Assert.That((plan.Kind, plan.Frames.Count), Is.EqualTo((JoinKind.Live, 0)));
        Assert.That(Decide("7", Open with { SendsSnapshots = false }).Kind, Is.EqualTo(JoinKind.Resume), "a resume resends as usual");
    }

    [Test]
    public void AtMaxClients_IsRefusedWithTheLimitAsTheReason()
    {
        var plan = Decide(null, Open with { OpenStreams = 100 });

        Assert.That((plan.Kind, plan.Reason), Is.EqualTo((JoinKind.Refused, "the server is at its limit of 100 streams")));
        Assert.That(Decide(null, Open with { OpenStreams = 100, Closed = true }).Kind, Is.EqualTo(JoinKind.NoContent), "a 204 takes no slot, so a full server still says it");
    }

    [Test]
    public void ShuttingDown_ClosesUnanswered_ButAFailedClockKeepsIts503WithTheReason()
    {
        Assert.That(Decide("7", Open with { Stopping = true }).Kind, Is.EqualTo(JoinKind.ShuttingDown));

        var failed = Decide(null, Open with { Stopping = true, Failure = "the scenario clock failed: boom" });
        Assert.That((failed.Kind, failed.Reason), Is.EqualTo((JoinKind.Refused, "the scenario clock failed: boom")));
    }
}
