using SseFlights.Delivery;

namespace SseFlights.Http;

/// <summary>
/// The open event streams as sessions, so shutdown can wait for them and dispose what is left.
/// A session is registered before it starts and leaves when its run has ended.
/// </summary>
internal sealed class StreamSessions
{
    private readonly Lock _gate = new();

    // Mutated only under the lock; shutdown works on a copy.
    private readonly HashSet<StreamDelivery> _open = [];

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _open.Count;
            }
        }
    }

    /// <summary>Tracks <paramref name="session"/> until the returned registration is disposed.</summary>
    public Registration Track(StreamDelivery session)
    {
        lock (_gate)
        {
            _open.Add(session);
        }

        return new Registration(this, session);
    }

    /// <summary>Completes when every session open now has ended.</summary>
    public Task WhenAllEndedAsync() => Task.WhenAll(Copy().Select(s => s.Completion));

    /// <summary>Cuts every session still open and waits for each to finish its run.</summary>
    public async Task DisposeAllAsync()
    {
        foreach (var session in Copy())
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The sessions open now, as a copy.</summary>
    public StreamDelivery[] Copy()
    {
        lock (_gate)
        {
            return [.. _open];
        }
    }

    private void Remove(StreamDelivery session)
    {
        lock (_gate)
        {
            _open.Remove(session);
        }
    }

    /// <summary>One session's place in the set; disposing it removes the session.</summary>
    public readonly struct Registration(StreamSessions owner, StreamDelivery session) : IDisposable
    {
        public void Dispose() => owner.Remove(session);
    }
}
