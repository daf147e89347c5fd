using System.Text;
using SseFlights.Delivery;

namespace SseFlights.Tests.Unit;

/// <summary>A response body that keeps each write as text, and can hold writes to play a peer that stopped reading.</summary>
internal sealed class FakeResponseBody() : StreamBody(headerRoom: 0, trailerRoom: 0)
{
    private readonly Lock _gate = new();
    private TaskCompletionSource? _held;

    public List<string> Writes { get; } = [];

    public bool Ended { get; private set; }

    /// <summary>The largest buffer any write was handed (rented buffers are powers of two).</summary>
    public int LargestBuffer { get; private set; }

    public bool WasCut { get; private set; }

    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];

    /// <summary>Completes once <paramref name="count"/> writes have started, so a test waits for the writer without sleeping.</summary>
    public Task WhenWritesStarted(int count)
    {
        lock (_gate)
        {
            if (Writes.Count >= count)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, done));
            return done.Task;
        }
    }

    /// <summary>From now on writes wait until <see cref="Release"/> or a cut.</summary>
    public void Hold()
    {
        lock (_gate)
        {
            _held ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Release()
    {
        lock (_gate)
        {
            _held?.TrySetResult();
            _held = null;
        }
    }

    public override async ValueTask WriteAsync(WriteBuffer buffer, int length)
    {
        Task held;
        lock (_gate)
        {
            Writes.Add(Encoding.UTF8.GetString(buffer.Array, buffer.Start, length));
            LargestBuffer = Math.Max(LargestBuffer, buffer.Array.Length);
            held = _held?.Task ?? Task.CompletedTask;
            foreach (var waiter in _waiters.Where(w => Writes.Count >= w.Count).ToList())
            {
                waiter.Done.TrySetResult();
                _waiters.Remove(waiter);
            }
        }

        await held;
    }

    public override ValueTask EndAsync()
    {
        Ended = true;
        return ValueTask.CompletedTask;
    }

    public override void Cut()
    {
        lock (_gate)
        {
            WasCut = true;
            _held?.TrySetException(new IOException("the connection was cut"));
        }
    }
}
