namespace SseFlights.Tests.Support;

/// <summary>What one client got, held against the log's model.</summary>
/// <param name="Gaps">Events of the model after the client's first frame that it never got (skipped, or covered by a later snapshot).</param>
/// <param name="Duplicates">Frames with an id at or below one it already had.</param>
/// <param name="Mismatches">Frames whose type or data differ from the model's event with that id, or a snapshot whose board is not the model's at its id.</param>
internal sealed record LiveFollowerCheck(int Gaps, int Duplicates, int Mismatches, int Closes, bool ClosedLast, bool BoardAsModel)
{
    /// <summary>
    /// Walks the client's frames: its first is the snapshot it joined with; each later frame must be
    /// the model's next event, with its type and data, and a snapshot only where the model has a reset.
    /// </summary>
    public static LiveFollowerCheck Of(LiveFollower client, LogModel model)
    {
        int gaps = 0, duplicates = 0, mismatches = 0;
        long? position = null;
        foreach (var frame in client.Received)
        {
            var expected = model.At(frame.Id);
            bool joinSnapshot = frame.Type == "snapshot" && expected?.Type != "snapshot";
            if (position is { } before && frame.Id <= before)
            {
                duplicates++;
                continue;
            }

            if (position is { } last)
            {
                // Every model event between the last frame and this one was missed (a join snapshot jumps over them).
                gaps += model.Events.Count(e => e.Id > last && (joinSnapshot ? e.Id <= frame.Id : e.Id < frame.Id));
            }

            if (joinSnapshot)
            {
                mismatches += frame.Data == LogModel.SnapshotData(model.BoardAt(frame.Id)) ? 0 : 1;
            }
            else
            {
                mismatches += expected is not null && expected.Type == frame.Type && expected.Data == frame.Data ? 0 : 1;
            }

            position = frame.Id;
        }

        var close = model.Close;
        return new LiveFollowerCheck(
            gaps,
            duplicates,
            mismatches,
            client.Received.Count(f => f.Type == "closedConnection"),
            close is not null && client.Received.Count > 0 && client.Received[^1].Id == close.Id && client.Received[^1].Type == "closedConnection",
            LogModel.Describe(client.Board.Select(r => new Dictionary<string, string>(r))) == LogModel.Describe(model.FinalBoard));
    }
}
