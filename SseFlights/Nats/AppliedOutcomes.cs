namespace SseFlights.Nats;

/// <summary>
/// The outcomes of the messages this replica applied lately, for a control request waiting for its own
/// entry to come back through the log. The request learns its sequence only from the log's ack, so the
/// entry may have been applied before it starts waiting: the newest <c>keep</c> outcomes are kept for it.
/// Thread-safe: the source records, requests wait.
/// </summary>
internal sealed class AppliedOutcomes(int keep)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, LogOutcome> _recent = [];
    private readonly Queue<long> _order = new();
    private readonly Dictionary<long, TaskCompletionSource<LogOutcome>> _waiting = [];
    private long _newest;

    public void Record(LogOutcome outcome)
    {
        TaskCompletionSource<LogOutcome>? waiter;
        lock (_gate)
        {
            _newest = Math.Max(_newest, outcome.Sequence);
            _recent[outcome.Sequence] = outcome;
            _order.Enqueue(outcome.Sequence);
            if (_order.Count > keep)
            {
                _recent.Remove(_order.Dequeue());
            }

            _waiting.Remove(outcome.Sequence, out waiter);
        }

        // Outside the lock: continuations run on the pool (RunContinuationsAsynchronously), not here.
        waiter?.TrySetResult(outcome);
    }

    /// <summary>
    /// The outcome of <paramref name="sequence"/> once applied; null if it is not applied within
    /// <paramref name="timeout"/>, or was applied so long ago that it is no longer known.
    /// </summary>
    public async Task<LogOutcome?> WaitAsync(long sequence, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        TaskCompletionSource<LogOutcome> waiter;
        lock (_gate)
        {
            if (_recent.TryGetValue(sequence, out var known))
            {
                return known;
            }

            if (sequence <= _newest)
            {
                return null;
            }

            if (!_waiting.TryGetValue(sequence, out waiter!))
            {
                _waiting[sequence] = waiter = new TaskCompletionSource<LogOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        try
        {
            return await waiter.Task.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            lock (_gate)
            {
                if (!waiter.Task.IsCompleted)
                {
                    _waiting.Remove(sequence);
                }
            }
        }
    }
}
