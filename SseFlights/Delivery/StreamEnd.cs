using System.Net;

namespace SseFlights.Delivery;

/// <summary>
/// How one stream ends, exactly once: finished cleanly after what is queued, or cut at once without
/// another byte (which also ends a write stuck on a peer that stopped reading), and the body released
/// either way. The reason is kept for the logs and the metrics.
/// </summary>
internal sealed class StreamEnd(StreamBody body, FrameQueue queue)
{
    private const int Open = 0, Finishing = 1, Cutting = 2;

    // Cancelled by a cut, so a split frame's pause between pieces ends at once.
    private readonly CancellationTokenSource _cut = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Completed by a cut or a finish: a stream held after its head stops waiting for its release.
    private readonly TaskCompletionSource _ending = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state = Open;
    private int _released;
    private StreamEndReason _reason = StreamEndReason.Dead;

    public bool IsOpen => Volatile.Read(ref _state) == Open;

    public bool WasCut => Volatile.Read(ref _state) == Cutting;

    public StreamEndReason Reason => _reason;

    public CancellationToken CutToken => _cut.Token;

    public Task Completion => _completion.Task;

    /// <summary>Completes once the stream has begun to end, by a cut or a finish.</summary>
    public Task Ending => _ending.Task;

    public void Cut(StreamEndReason reason)
    {
        if (Interlocked.Exchange(ref _state, Cutting) == Cutting)
        {
            return;
        }

        _reason = reason;
        CompleteQueue();
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            body.Cut();
        }

        _cut.Cancel();
        _ending.TrySetResult();
    }

    public void Finish(StreamEndReason reason)
    {
        if (Interlocked.CompareExchange(ref _state, Finishing, Open) == Open)
        {
            _reason = reason;
            CompleteQueue();
            _ending.TrySetResult();
        }
    }

    /// <summary>The close was written: the stream ends as it should.</summary>
    public void Closed() => _reason = StreamEndReason.Closed;

    /// <summary>The stream never ran: nothing to release, and it has ended.</summary>
    public void Decline()
    {
        Interlocked.Exchange(ref _state, Finishing);
        Interlocked.Exchange(ref _released, 1);
        _completion.TrySetResult();
    }

    /// <summary>Ends the body exactly once: cleanly (the chunked body's last chunk) or by closing the connection.</summary>
    public async Task ReleaseAsync(bool clean)
    {
        try
        {
            if (Interlocked.Exchange(ref _released, 1) == 1)
            {
                return;
            }

            if (clean)
            {
                await body.EndAsync().ConfigureAwait(false);
            }
            else
            {
                body.Cut();
            }
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            body.Cut();
        }
        finally
        {
            _completion.TrySetResult();
        }
    }

    /// <summary>No more frames: the writer, if it waits, wakes on the pool to write what is queued (or find the cut) and end.</summary>
    private void CompleteQueue()
    {
        if (queue.Complete())
        {
            queue.WakeOnPool();
        }
    }
}
