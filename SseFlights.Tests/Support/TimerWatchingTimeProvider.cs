using Microsoft.Extensions.Time.Testing;

namespace SseFlights.Tests.Support;

/// <summary>
/// A fake clock that can say when the code under test has started a wait of a given length, so a
/// test advances the clock only once that timer exists. Advancing before it is created would move
/// the clock past a wait that then starts afterwards and never ends.
/// </summary>
internal sealed class TimerWatchingTimeProvider : FakeTimeProvider
{
    private readonly Lock _gate = new();
    private readonly Dictionary<TimeSpan, int> _created = [];
    private readonly List<(TimeSpan DueTime, int Count, TaskCompletionSource Done)> _waiters = [];

    /// <summary>Completes once <paramref name="count"/> timers due after <paramref name="dueTime"/> have been created in all.</summary>
    public Task WhenTimersCreated(TimeSpan dueTime, int count)
    {
        lock (_gate)
        {
            if (_created.GetValueOrDefault(dueTime) >= count)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((dueTime, count, done));
            return done.Task;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        lock (_gate)
        {
            int created = _created[dueTime] = _created.GetValueOrDefault(dueTime) + 1;
            foreach (var waiter in _waiters.Where(w => w.DueTime == dueTime && w.Count <= created).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Done.SetResult();
            }
        }

        return timer;
    }
}
