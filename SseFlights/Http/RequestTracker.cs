using System.Collections.Concurrent;

namespace SseFlights.Http;

/// <summary>
/// The requests in flight, so a shutdown can wait for them. A request is in the set before anything
/// can take it out: one that finished before it was tracked (a fast answer on another thread) is
/// removed by its continuation, which runs once it is in, so none is left behind.
/// </summary>
internal sealed class RequestTracker
{
    private readonly ConcurrentDictionary<long, Task> _inFlight = new();
    private long _next;

    public int Count => _inFlight.Count;

    public void Track(Task request)
    {
        long id = Interlocked.Increment(ref _next);
        _inFlight[id] = request;
        request.ContinueWith(
            static (_, state) =>
            {
                var (set, key) = ((ConcurrentDictionary<long, Task>, long))state!;
                set.TryRemove(key, out Task? _);
            },
            (_inFlight, id),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Completes when every request in flight now has ended.</summary>
    public Task WhenAllEndedAsync() => Task.WhenAll(_inFlight.Values);
}
