using System.Buffers;
using Serilog;

namespace SseFlights.Delivery;

/// <summary>
/// One frame's way to every open stream. Under the hub's lock, <see cref="Offer"/> only queues, and
/// notes which writers wait and which clients had no room; after the lock, <see cref="Finish"/> wakes
/// the waiting writers in a few pool work items, one per core, each running its share of writers one
/// after another on its own thread (a write to a socket with room completes at once, and one that
/// does not goes on by itself, so no writer waits for another), and hands the cuts of the clients too
/// far behind to the pool. Nothing here touches a socket on the caller's thread.
/// </summary>
internal sealed class FanoutBatch(int streams)
{
    /// <summary>Fewer writers than this in a share are not worth another work item.</summary>
    private const int MinShare = 64;

    private IEventSubscriber[]? _wakes;
    private int _wakeCount;
    private List<IEventSubscriber>? _behind;

    /// <summary>Under the hub's lock: offers <paramref name="frame"/> to <paramref name="client"/>, noting a writer to wake or a client with no room.</summary>
    public void Offer(IEventSubscriber client, Frame frame)
    {
        switch (client.Offer(frame))
        {
            case Offered.Waiting:
                // At most once per stream offered to, so the array rented for the hub's open streams always has room.
                _wakes ??= ArrayPool<IEventSubscriber>.Shared.Rent(streams);
                _wakes[_wakeCount++] = client;
                break;
            case Offered.Full:
                (_behind ??= []).Add(client);
                break;
        }
    }

    /// <summary>After the hub's lock: wakes every waiting writer (on the pool) and has the clients with no room cut (on the pool).</summary>
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

        if (_behind is { } behind)
        {
            foreach (var client in behind)
            {
                log.Warning("Client {ClientId} is too far behind at event {EventId}; disconnecting it", client.ClientId, eventId);
            }

            // A cut closes a socket: never on the caller's thread, which may hold a lock.
            ThreadPool.UnsafeQueueUserWorkItem(static clients => clients.ForEach(static c => c.Cut(StreamEndReason.Slow)), behind, preferLocal: false);
        }
    }

    /// <summary>The writers one <see cref="Finish"/> wakes; the last share to end gives the array back to the pool.</summary>
    private sealed class ShareRun(IEventSubscriber[] wakes, int count, int shares)
    {
        private int _ended;

        public void Run(int share)
        {
            // Writers that end their stream here (the close) do it after the whole share: see AfterFanout.
            AfterFanout.RunShare(static state => state.Run.WakeShare(state.Share), (Run: this, Share: share));
            if (Interlocked.Increment(ref _ended) == shares)
            {
                Array.Clear(wakes, 0, count);
                ArrayPool<IEventSubscriber>.Shared.Return(wakes);
            }
        }

        private void WakeShare(int share)
        {
            int start = (int)((long)count * share / shares), end = (int)((long)count * (share + 1) / shares);
            for (int i = start; i < end; i++)
            {
                wakes[i].WakeHere();
            }
        }
    }

    private sealed class Share(ShareRun run, int share) : IThreadPoolWorkItem
    {
        public void Execute() => run.Run(share);
    }
}
