using SseFlights.Scenario;

namespace SseFlights.Nats;

/// <summary>What one message of the log says, read by <see cref="LogMessageCodec"/>: an entry, a reset, or a refusal.</summary>
internal abstract record LogMessage(long Sequence);

/// <summary>
/// A timeline entry to apply, valid in shape: an event (numbered by <see cref="LogMessage.Sequence"/>),
/// a drop, or a live-only comment, retry or raw frame. A board event must still pass
/// <see cref="BoardProblem"/> against the board as it is when the entry is applied.
/// </summary>
/// <param name="Body">The message's bytes, which locate a board problem's line and column.</param>
internal sealed record LogEntry(long Sequence, TimelineEntry Entry, byte[] Body) : LogMessage(Sequence)
{
    /// <summary>
    /// Why the entry cannot apply to a board holding <paramref name="onBoard"/> (the validator's own
    /// message, naming the sequence), or null if it applies; cheap when it does.
    /// </summary>
    public string? BoardProblem(IReadOnlyCollection<string> onBoard) =>
        Entry.Change is { } change && ScenarioValidator.PresenceProblem(Entry.Kind, change.Code, onBoard) is not null
            ? SingleEntryReader.BoardProblem(Entry, new ScenarioErrors(LogMessageCodec.Source(Sequence), JsonPositionIndex.Build(Body)), onBoard)
            : null;
}

/// <summary>
/// <c>{"action": "reset"}</c>, the start of a repeat cycle: the board goes back to the scenario's flights
/// and everyone gets a snapshot, numbered by <see cref="LogMessage.Sequence"/>. Only the log carries it.
/// </summary>
internal sealed record LogReset(long Sequence) : LogMessage(Sequence);

/// <summary>A message that is no entry: it becomes no event. Each error names the sequence, where, and what is wrong.</summary>
internal sealed record LogRefusal(long Sequence, IReadOnlyList<string> Errors) : LogMessage(Sequence);
