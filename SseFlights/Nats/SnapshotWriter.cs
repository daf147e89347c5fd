using System.Threading.Channels;
using Serilog;

namespace SseFlights.Nats;

/// <summary>
/// Stores the board every <c>every</c> messages of the log, as the newest snapshot, off the apply loop:
/// a slot for one snapshot (a newer one replaces one not yet written) and one writer. Every replica
/// offers the same sequences (multiples of <c>every</c>), and the store keeps only the newest, so they
/// may all write. A failed write is logged and the next one tries again.
/// </summary>
internal sealed class SnapshotWriter(int every, ILogger log) : IAsyncDisposable
{
    private readonly ILogger _log = log.ForContext<SnapshotWriter>();
    private readonly Channel<BoardSnapshot> _slot = Channel.CreateBounded<BoardSnapshot>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true });

    private Task _writing = Task.CompletedTask;

    /// <summary>Whether the board as of <paramref name="sequence"/> is one to store.</summary>
    public bool IsDue(long sequence) => sequence % every == 0;

    /// <summary>Starts writing into <paramref name="store"/>; once, when the log is open.</summary>
    public void Start(BoardSnapshotStore store, CancellationToken stop) => _writing = WriteAsync(store, stop);

    /// <summary>Queues <paramref name="snapshot"/>, replacing one not yet written; never waits.</summary>
    public void Offer(BoardSnapshot snapshot) => _slot.Writer.TryWrite(snapshot);

    private async Task WriteAsync(BoardSnapshotStore store, CancellationToken stop)
    {
        try
        {
            await foreach (var snapshot in _slot.Reader.ReadAllAsync(stop).ConfigureAwait(false))
            {
                try
                {
                    bool stored = await store.PutAsync(snapshot, stop).ConfigureAwait(false);
                    _log.Debug(stored ? "Stored the board as of sequence {Sequence}" : "The board as of sequence {Sequence} was already stored (or a newer one)", snapshot.Sequence);
                }
                catch (LogUnavailableException ex)
                {
                    _log.Warning("Could not store the board as of sequence {Sequence}: {Reason}", snapshot.Sequence, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping: a snapshot not yet written is the next replica's to write.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _slot.Writer.TryComplete();
        await _writing.ConfigureAwait(false);
    }
}
