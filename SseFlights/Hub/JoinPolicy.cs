using SseFlights.Delivery;

namespace SseFlights.Hub;

/// <summary>
/// How a new stream starts, from what the hub knows and what the client last saw: a snapshot, the
/// events it missed, live events, 204 after the close, 503 when full, or closed unanswered during a
/// shutdown. Pure: the same facts and Last-Event-ID always give the same plan.
/// </summary>
internal static class JoinPolicy
{
    public static JoinPlan Decide(string? lastEventId, JoinFacts facts, IJoinFrames frames)
    {
        var plan = Plan(lastEventId, facts, frames);
        if (!facts.SendsSnapshots && plan.Kind == JoinKind.Snapshot)
        {
            // A bare stream: what would have started with a snapshot starts live.
            plan = plan with { Kind = JoinKind.Live, Frames = [.. plan.Frames.Where(f => f.Kind != FrameKind.Snapshot)] };
        }

        bool wantsSlot = plan.Kind != JoinKind.NoContent && !plan.EndsStream;

        // A failed clock keeps its 503 (the process exits; the page retries it); a shutdown closes unanswered.
        if (wantsSlot && facts.Stopping && facts.Failure is null)
        {
            return new JoinPlan(JoinKind.ShuttingDown, [], "the server is shutting down");
        }

        // Not ready (a live replica catching up): even a 204 is not known yet, so every stream is refused for now.
        if (!facts.Stopping && facts.Unavailable is { } unavailable)
        {
            return new JoinPlan(JoinKind.Refused, [], unavailable);
        }

        if (wantsSlot && (facts.Stopping || facts.OpenStreams >= facts.MaxClients))
        {
            return new JoinPlan(JoinKind.Refused, [], facts.Failure ?? $"the server is at its limit of {facts.MaxClients} streams");
        }

        return plan;
    }

    private static JoinPlan Plan(string? raw, JoinFacts facts, IJoinFrames frames)
    {
        var closed = new JoinPlan(JoinKind.NoContent, [], "the board has closed");
        if (raw is null)
        {
            return facts.Closed ? closed : new(JoinKind.Snapshot, [frames.Snapshot()], "new client");
        }

        if (!JoinPlan.TryParseLastEventId(raw, out long id, out var problem))
        {
            return facts.Closed && problem == LastEventIdProblem.NotANumber
                ? closed
                : new(JoinKind.Snapshot, SnapshotThenClose(facts, frames), $"Last-Event-ID is {problem.Describe()}");
        }

        if (id > facts.LastId && !facts.Closed && facts.HoldHorizon is { } horizon && id <= horizon)
        {
            return new(JoinKind.Live, [], $"Last-Event-ID {id} is ahead of the newest id {facts.LastId} but within the skew: held until reached") { HeldUntil = id };
        }

        if (id > facts.LastId)
        {
            return facts.Closed ? closed : new(JoinKind.Snapshot, [frames.Snapshot()], $"Last-Event-ID {id} is beyond the newest id {facts.LastId}");
        }

        if (id == facts.LastId)
        {
            return facts.Closed ? closed : new(JoinKind.Live, [], $"up to date at {id}");
        }

        return frames.TryResendAfter(id, out var missed)
            ? new(JoinKind.Resume, missed, $"resumed after {id}")
            : new(JoinKind.Snapshot, SnapshotThenClose(facts, frames), $"Last-Event-ID {id} is older than the history holds") { HistoryTooShort = true };
    }

    private static Frame[] SnapshotThenClose(JoinFacts facts, IJoinFrames frames) => facts.Closed ? frames.FinalSnapshotThenClose() : [frames.Snapshot()];
}
