using System.Text;
using Microsoft.Extensions.Time.Testing;
using SseFlights.Broadcast;
using SseFlights.Http;
using SseFlights.Scenario;

namespace SseFlights.Tests.Unit;

/// <summary>
/// How a stream's bytes reach its body: gathered into few writes, but never through a buffer big
/// enough for the large-object heap, whatever the size of a resend, a snapshot or one frame.
/// </summary>
public class ChunkWriterTests
{
    /// <summary>Where the runtime puts an array on the large-object heap (collected only with gen 2).</summary>
    private const int LargeObjectThreshold = 85_000;

    private static readonly byte[] Retry = "retry: 3000\n\n"u8.ToArray();

    [Test]
    [CancelAfter(5_000)]
    public async Task WriteAllAsync_ResendOfManyFrames_GoesOutInFullBuffersBelowTheLargeObjectThreshold(CancellationToken cancellationToken)
    {
        var body = new FakeResponseBody();
        var frames = Enumerable.Range(1, 300).Select(id => Frame(id, 1_000)).ToList();

        await new ChunkWriter(body, new FakeTimeProvider()).WriteAllAsync(Retry, frames).WaitAsync(cancellationToken);

        string expected = Encoding.UTF8.GetString([.. Retry, .. frames.SelectMany(f => f.Bytes)]);
        Assert.That(string.Concat(body.Writes), Is.EqualTo(expected), "every byte, in order");
        Assert.That(body.Writes.Select(w => w.Length), Is.EqualTo(Sizes(expected.Length)), "full writes, the rest in the last");
        Assert.That(body.LargestBuffer, Is.EqualTo(ChunkWriter.MaxBuffer).And.LessThan(LargeObjectThreshold));
    }

    [Test]
    [CancelAfter(5_000)]
    public async Task WriteAllAsync_SmallOpening_IsOneWriteInASmallBuffer(CancellationToken cancellationToken)
    {
        var body = new FakeResponseBody();
        var frames = new[] { Frame(1, 40), Frame(2, 40) };

        await new ChunkWriter(body, new FakeTimeProvider()).WriteAllAsync(Retry, frames, 1, 1).WaitAsync(cancellationToken);

        Assert.That(body.Writes, Is.EqualTo(new[] { "retry: 3000\n\n" + Encoding.UTF8.GetString(frames[1].Bytes) }), "only the frames asked for");
        Assert.That(body.LargestBuffer, Is.LessThanOrEqualTo(128));
    }

    [Test]
    [CancelAfter(5_000)]
    public async Task WriteSplitAsync_PieceLargerThanABuffer_IsWrittenBackToBackWithThePauseOnlyBetweenPieces(CancellationToken cancellationToken)
    {
        var time = new FakeTimeProvider();
        var body = new FakeResponseBody();
        byte[] bytes = Encoding.UTF8.GetBytes(new string('x', 2 * ChunkWriter.MaxPayload + 10));
        var writing = new ChunkWriter(body, time).WriteSplitAsync(bytes, new FrameSplit(ChunkWriter.MaxPayload + 5, 30), CancellationToken.None);

        await body.WhenWritesStarted(2).WaitAsync(cancellationToken);
        Assert.That(body.Writes.Select(w => w.Length), Is.EqualTo(new[] { ChunkWriter.MaxPayload, 5 }), "the first piece, in two writes, before any pause");

        time.Advance(TimeSpan.FromMilliseconds(30));
        await writing.WaitAsync(cancellationToken);
        Assert.That(body.Writes.Select(w => w.Length), Is.EqualTo(new[] { ChunkWriter.MaxPayload, 5, ChunkWriter.MaxPayload, 5 }), "two pieces of MaxPayload + 5 bytes");
        Assert.That(body.LargestBuffer, Is.LessThan(LargeObjectThreshold));
    }

    [Test]
    [CancelAfter(5_000)]
    public async Task WriteAllAsync_NothingToWrite_WritesNoEmptyChunk(CancellationToken cancellationToken)
    {
        var body = new FakeResponseBody();

        await new ChunkWriter(body, new FakeTimeProvider()).WriteAllAsync([], []).WaitAsync(cancellationToken);

        Assert.That(body.Writes, Is.Empty, "an empty chunk would end a chunked body");
    }

    private static EncodedEvent Frame(long id, int size)
    {
        string head = $"id: {id}\ndata: ";
        return new EncodedEvent(id, "e", Encoding.UTF8.GetBytes(head + new string('d', size - head.Length - 2) + "\n\n"));
    }

    private static IEnumerable<int> Sizes(int total)
    {
        for (; total > ChunkWriter.MaxPayload; total -= ChunkWriter.MaxPayload)
        {
            yield return ChunkWriter.MaxPayload;
        }

        yield return total;
    }
}
