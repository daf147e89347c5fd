using SseFlights.Delivery;

namespace SseFlights.Http;

/// <summary>
/// <c>--drain</c>: ends a stopping server's open streams one by one, spread evenly over a window, so
/// their clients come back to the other replicas (or the restarted one) a few at a time instead of
/// all within one retry interval. Each ends cleanly after what is queued, and resumes elsewhere with
/// its Last-Event-ID. The streams not ended yet stay live meanwhile.
/// </summary>
internal static class StreamDrain
{
    /// <summary>
    /// Ends <paramref name="streams"/> at even steps across <paramref name="window"/> (the first at once);
    /// once <paramref name="now"/> is cancelled (a second signal), ends the rest without waiting.
    /// </summary>
    public static async Task EndEvenlyAsync(IReadOnlyList<IEventSubscriber> streams, TimeSpan window, TimeProvider time, CancellationToken now)
    {
        long started = time.GetTimestamp();
        for (int i = 0; i < streams.Count; i++)
        {
            // Computed from the start each time, so the steps do not drift by the timer's lateness.
            var wait = window * i / streams.Count - time.GetElapsedTime(started);
            if (wait > TimeSpan.Zero && !now.IsCancellationRequested)
            {
                await DelayAsync(wait, time, now).ConfigureAwait(false);
            }

            streams[i].Finish(StreamEndReason.Shutdown);
        }
    }

    private static async Task DelayAsync(TimeSpan wait, TimeProvider time, CancellationToken now)
    {
        try
        {
            // Timers work in whole milliseconds: several streams due within one end together.
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)), time, now).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (now.IsCancellationRequested)
        {
            // A second signal: the rest end at once.
        }
    }
}
