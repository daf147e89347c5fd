using System.Text;
using SseFlights.Record;

namespace SseFlights.Tests.Record;

/// <summary>
/// What a recording keeps when it is stopped: every byte already received, read after the stop as well,
/// and nothing it would have to wait for.
/// </summary>
public class ArrivedOnlyBodyTests
{
    /// <summary>A body whose bytes arrive when the test says: a read with nothing received waits.</summary>
    private sealed class ArrivingBody : Stream
    {
        private readonly Queue<byte[]> _received = new();
        private TaskCompletionSource? _waiting;

        public int Reads { get; private set; }

        public void Arrive(string text)
        {
            _received.Enqueue(Encoding.UTF8.GetBytes(text));
            _waiting?.TrySetResult();
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Reads++;
            if (_received.Count == 0)
            {
                _waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                await _waiting.Task.ConfigureAwait(false);
            }

            byte[] chunk = _received.Dequeue();
            chunk.CopyTo(buffer);
            return chunk.Length;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>One read of the body, its wait bounded by the test's own deadline (the read itself is never cancelled).</summary>
    private static async Task<string> ReadAsync(Stream body, byte[] buffer, CancellationToken deadline)
    {
        int n = await body.ReadAsync(buffer).AsTask().WaitAsync(deadline);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Read_BeforeTheStop_GivesWhatArrives(CancellationToken deadline)
    {
        var inner = new ArrivingBody();
        using var stop = new CancellationTokenSource();
        await using var body = new ArrivedOnlyBody(inner, stop.Token);
        var buffer = new byte[64];

        var reading = ReadAsync(body, buffer, deadline);
        Assert.That(reading.IsCompleted, Is.False, "nothing has arrived yet");
        inner.Arrive("data: 1\n\n");

        Assert.That(await reading.WaitAsync(deadline), Is.EqualTo("data: 1\n\n"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Read_AfterTheStop_GivesWhatHadAlreadyArrivedThenEnds(CancellationToken deadline)
    {
        var inner = new ArrivingBody();
        using var stop = new CancellationTokenSource();
        await using var body = new ArrivedOnlyBody(inner, stop.Token, TimeSpan.FromMinutes(1));
        var buffer = new byte[64];
        inner.Arrive("data: 1\n\n");
        inner.Arrive("data: 2\n\n");

        await stop.CancelAsync();

        Assert.That(await ReadAsync(body, buffer, deadline), Is.EqualTo("data: 1\n\n"));
        Assert.That(await ReadAsync(body, buffer, deadline), Is.EqualTo("data: 2\n\n"));
        Assert.That(await ReadAsync(body, buffer, deadline), Is.Empty, "nothing more had arrived: the body ends without waiting");
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Read_WaitingWhenTheStopComes_GetsBytesThatReachItInTheGrace(CancellationToken deadline)
    {
        var inner = new ArrivingBody();
        using var stop = new CancellationTokenSource();
        await using var body = new ArrivedOnlyBody(inner, stop.Token, TimeSpan.FromMinutes(1));
        var buffer = new byte[64];

        var reading = ReadAsync(body, buffer, deadline);
        await stop.CancelAsync();
        inner.Arrive("data: 1\n\n");

        Assert.That(await reading.WaitAsync(deadline), Is.EqualTo("data: 1\n\n"), "received before the stop took effect, so kept");
        Assert.That(await ReadAsync(body, buffer, deadline), Is.Empty, "nothing more had arrived: the body ends without waiting again");
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Read_WaitingWhenTheStopComes_EndsTheBodyAfterTheGrace(CancellationToken deadline)
    {
        var inner = new ArrivingBody();
        using var stop = new CancellationTokenSource();
        await using var body = new ArrivedOnlyBody(inner, stop.Token, TimeSpan.Zero);
        var buffer = new byte[64];

        var reading = ReadAsync(body, buffer, deadline);
        await stop.CancelAsync();

        Assert.That(await reading.WaitAsync(deadline), Is.Empty);
        Assert.That(inner.Reads, Is.EqualTo(1), "the waiting read is left, not repeated");
    }
}
