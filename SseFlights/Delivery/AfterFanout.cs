using System.Runtime.CompilerServices;

namespace SseFlights.Delivery;

/// <summary>
/// Lets a writer woken by a fan-out share put its own follow-up (ending its response after the close)
/// after the rest of that share: a share wakes writer after writer on one thread, and the close
/// reaches every stream in one fan-out, so ending each response in turn (its last chunk, its socket's
/// shutdown, leaving the hub) would hold back every later writer's close by all the ends before it.
/// Awaited outside a share, it simply continues on the pool.
/// </summary>
internal static class AfterFanout
{
    // The share running on this thread, and what its writers put off; null outside a share.
    [ThreadStatic]
    private static List<Action>? t_deferred;

    [ThreadStatic]
    private static bool t_inShare;

    /// <summary>Continues after the share that woke this writer has woken all its writers (or on the pool, outside one).</summary>
    public static Awaitable Yield() => default;

    /// <summary>Runs <paramref name="wake"/> (a share's wake-ups), then whatever the woken writers put off, in order.</summary>
    public static void RunShare<TState>(Action<TState> wake, TState state)
    {
        t_inShare = true;
        try
        {
            wake(state);
        }
        finally
        {
            t_inShare = false;
        }

        if (t_deferred is { Count: > 0 } deferred)
        {
            t_deferred = null;
            foreach (var continuation in deferred)
            {
                continuation();
            }
        }
    }

    /// <summary>The awaitable <see cref="Yield"/> returns.</summary>
    public readonly struct Awaitable : ICriticalNotifyCompletion
    {
        public bool IsCompleted => false;

        public Awaitable GetAwaiter() => this;

        public void GetResult()
        {
        }

        public void OnCompleted(Action continuation) => UnsafeOnCompleted(continuation);

        public void UnsafeOnCompleted(Action continuation)
        {
            if (t_inShare)
            {
                (t_deferred ??= []).Add(continuation);
            }
            else
            {
                ThreadPool.UnsafeQueueUserWorkItem(static run => run(), continuation, preferLocal: false);
            }
        }
    }
}
