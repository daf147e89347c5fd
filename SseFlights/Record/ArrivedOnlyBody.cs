namespace SseFlights.Record;

/// <summary>
/// A response body that ends at a stop, but only after what had already arrived. Every read after the
/// stop gives only bytes already received (on Linux a socket read tries at once, so those complete it
/// synchronously). The read in flight when the stop comes gets a short grace: bytes the kernel had
/// already received may still be on their way to it through the socket engine's threads, slower on a
/// busy machine. So Ctrl+C writes every event the machine had received and waits for nothing more than
/// that grace. A read is never cancelled (that would close the connection under bytes already
/// received); one left waiting is abandoned with the response.
/// </summary>
internal sealed class ArrivedOnlyBody : Stream
{
    /// <summary>How long the read in flight at the stop may still take: a wall-clock grace for the socket, not the recording's clock.</summary>
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromMilliseconds(500);

    private readonly Stream _inner;
    private readonly TimeSpan _grace;
    private readonly Task _stopped;
    private readonly CancellationTokenRegistration _registration;
    private readonly byte[] _own = new byte[16 * 1024];

    public ArrivedOnlyBody(Stream inner, CancellationToken stop, TimeSpan? grace = null)
    {
        _inner = inner;
        _grace = grace ?? DefaultGrace;
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _registration = stop.Register(static s => ((TaskCompletionSource)s!).TrySetResult(), stopped);
        _stopped = stopped.Task;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // On Linux a socket read first tries at once, so bytes already received complete it synchronously.
        // Into a buffer of its own: a read left waiting at the stop must never write into the caller's, which
        // goes back to its pool once the body has ended.
        var read = _inner.ReadAsync(_own.AsMemory(0, Math.Min(buffer.Length, _own.Length)), CancellationToken.None).AsTask();
        bool inFlightAtStop = !read.IsCompleted && !_stopped.IsCompleted;
        if (inFlightAtStop)
        {
            await Task.WhenAny(read, _stopped).ConfigureAwait(false);
        }

        if (!read.IsCompleted && inFlightAtStop)
        {
            await Task.WhenAny(read, Task.Delay(_grace)).ConfigureAwait(false);
        }

        if (read.IsCompleted)
        {
            int n = await read.ConfigureAwait(false);
            _own.AsSpan(0, n).CopyTo(buffer.Span);
            return n;
        }

        // Stopped with nothing more received: the body ends here; the read left waiting fails with the response.
        _ = read.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return 0;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _registration.Dispose();
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
