namespace SseFlights.Tests.Support;

/// <summary>
/// A fake clock that can be armed to throw once from the next timer it is asked for: the scenario
/// clock's next wait then faults, as a bug inside the player would, with no test hook in the server.
/// </summary>
internal sealed class FaultingTimeProvider(TimeProvider inner) : TimeProvider
{
    private int _armed;

    public const string Fault = "injected clock fault";

    public void ArmFault() => Volatile.Write(ref _armed, 1);

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override long GetTimestamp() => inner.GetTimestamp();

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        Interlocked.Exchange(ref _armed, 0) == 1
            ? throw new InvalidOperationException(Fault)
            : inner.CreateTimer(callback, state, dueTime, period);
}
