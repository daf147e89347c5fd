namespace SseFlights.Delivery;

/// <summary>
/// One shared ticker for every stream (no timer per connection): each tick lets every client send a
/// heartbeat if it has been idle, or give up on a write that is stuck.
/// </summary>
internal sealed class ClientMonitor(Func<IEventSubscriber[]> clients, TimeSpan heartbeat, TimeProvider time)
{
    /// <summary>A quarter of the heartbeat, so an idle stream hears from us within 1¼ heartbeats.</summary>
    public TimeSpan Period { get; } = TimeSpan.FromTicks(Math.Max(heartbeat.Ticks / 4, TimeSpan.TicksPerMillisecond * 10));

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                long now = time.GetTimestamp();
                foreach (var client in clients())
                {
                    client.OnTick(now);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }
}
