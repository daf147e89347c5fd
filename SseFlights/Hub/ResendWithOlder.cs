using SseFlights.Delivery;

namespace SseFlights.Hub;

/// <summary>
/// The ledger's frames for a join, plus events fetched from a live log before it: a resume from an id
/// older than the history is those events, then the history's from where they end. Asked under the
/// hub's lock, so the seam between the two is exact.
/// </summary>
internal sealed class ResendWithOlder(IJoinFrames ledger, OlderEvents older) : IJoinFrames
{
    public bool TryResendAfter(long id, out Frame[] missed)
    {
        if (ledger.TryResendAfter(id, out missed))
        {
            return true;
        }

        if (id != older.After || !ledger.TryResendAfter(older.UpTo, out var newer))
        {
            return false;
        }

        missed = UpToTheClose([.. older.Frames, .. newer]);
        return true;
    }

    /// <summary>
    /// A close among resent frames ends the stream there, as the frames of a stream end with its close.
    /// Only a live log's reset can put events after a close; the client gets them when it comes back
    /// with the close's id.
    /// </summary>
    public static Frame[] UpToTheClose(Frame[] frames)
    {
        int close = Array.FindIndex(frames, f => f.EndsStream);
        return close < 0 || close == frames.Length - 1 ? frames : frames[..(close + 1)];
    }

    public Frame Snapshot() => ledger.Snapshot();

    public Frame[] FinalSnapshotThenClose() => ledger.FinalSnapshotThenClose();
}
