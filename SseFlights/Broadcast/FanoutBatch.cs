using System.Buffers;
using Serilog;

namespace SseFlights.Broadcast;

/// <summary>
/// One frame's way to every open stream. Under the hub's lock, <see cref="Offer"/> only queues, and
/// notes which writers are waiting and which clients had no room; after the lock,
/// <see cref="Finish"/> cuts those that are too far behind and wakes the waiting writers in a few
/// pool work items, one per core, each running its share of writers one after another on its own
/// thread: a write to a socket with room completes at once, and one that does not goes on by
/// itself, so no writer waits for another.
/// </summary>
internal sealed class FanoutBatch(int streams)
{
    /// <summary>Fewer writers than this in a share are not worth another work item.</summary>
    private const int MinShare = 64;

    private FrameQueue[]? _wakes;
    private int _wakeCount;
    private List<IEventSubscriber>? _behind;

    /// <summary>Under the hub's lock: offers <paramref name="frame"/> to <paramref name="client"/>, noting a full queue or a writer to wake.</summary>
    public void Offer(IEventSubscriber client, EncodedEvent frame)
    {
        if (!client.Offer(frame, this))
        {
            (_behind ??= []).Add(client);
        }
    }

    /// <summary>
    /// Called by a subscriber's <see cref="IEventSubscriber.Offer"/>: its writer waits and is to be
    /// woken by <see cref="Finish"/>. At most once per stream offered to, so the array rented for
    /// <c>streams</c> (the hub's open streams, counted under the same lock) always has room.
    /// </summary>
    public void Wake(FrameQueue queue)
    {
        _wakes ??= ArrayPool<FrameQueue>.Shared.Rent(streams);
        _wakes[_wakeCount++] = queue;
    }

    /// <summary>After the hub's lock: wakes every waiting writer (on the pool) and cuts the clients with no room.</summary>
    public void Finish(ILogger log, long eventId)
    {
        if (_wakes is { } wakes)
        {
            int shares = Math.Clamp(_wakeCount / MinShare, 1, Environment.ProcessorCount);
            var run = new ShareRun(wakes, _wakeCount, shares);
            _wakes = null;
            for (int share = 0; share < shares; share++)
            {
                ThreadPool.UnsafeQueueUserWorkItem(new Share(run, share), preferLocal: false);
            }
        }

        foreach (var client in _behind ?? [])
        {
            log.Warning("Client {ClientId} is too far behind at event {EventId}; disconnecting it", client.ClientId, eventId);
            client.Cut(StreamEndReason.Slow);
        }
    }

    /// <summary>The writers one <see cref="Finish"/> wakes; the last share to end gives the array back to the pool.</summary>
    private sealed class ShareRun(FrameQueue[] wakes, int count, int shares)
    {
        private int _ended;

        public void Run(int share)
        {
            // Writers that end their stream here (the close) do it after the whole share: see AfterFanout.
            AfterFanout.RunShare(static state => state.Run.WakeShare(state.Share), (Run: this, Share: share));

            if (Interlocked.Increment(ref _ended) == shares)
            {
                Array.Clear(wakes, 0, count);
                ArrayPool<FrameQueue>.Shared.Return(wakes);
            }
        }

        private void WakeShare(int share)
        {
            int start = (int)((long)count * share / shares), end = (int)((long)count * (share + 1) / shares);
            for (int i = start; i < end; i++)
            {
                wakes[i].Wake();
            }
        }
    }

    private sealed class Share(ShareRun run, int share) : IThreadPoolWorkItem
    {
        public void Execute() => run.Run(share);
    }
}
