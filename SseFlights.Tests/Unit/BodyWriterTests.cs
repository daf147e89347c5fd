using System.Text;
using Microsoft.Extensions.Time.Testing;
using SseFlights.Delivery;
using SseFlights.Hub;
using SseFlights.Http;
using SseFlights.Scenario;

namespace SseFlights.Tests.Unit;

/// <summary>
/// How a stream's bytes reach its body: gathered into few writes, but never through a buffer big
/// enough for the large-object heap, whatever the size of a resend, a snapshot or one frame.
/// </summary>
public class BodyWriterTests
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

        await new BodyWriter(body, new FakeTimeProvider()).WriteAllAsync(Retry, frames).WaitAsync(cancellationToken);

        string expected = Encoding.UTF8.GetString([.. Retry, .. frames.SelectMany(f => f.Bytes)]);
        Assert.That(string.Concat(body.Writes), Is.EqualTo(expected), "every byte, in order");
        Assert.That(body.Writes.Select(w => w.Length), Is.EqualTo(Sizes(expected.Length)), "full writes, the rest in the last");
        Assert.That(body.LargestBuffer, Is.EqualTo(StreamBody.MaxBuffer).And.LessThan(LargeObjectThreshold));
    }

    [Test]
    [CancelAfter(5_000)]
    public async Task WriteAllAsync_SmallOpening_IsOneWriteInASmallBuffer(CancellationToken cancellationToken)
    {
        var body = new FakeResponseBody();
        var frames = new[] { Frame(1, 40), Frame(2, 40) };

        await new BodyWriter(body, new FakeTimeProvider()).WriteAllAsync(Retry, frames, 1, 1).WaitAsync(cancellationToken);

        Assert.That(body.Writes, Is.EqualTo(new[] { "retry: 3000\n\n" + Encoding.UTF8.GetString(frames[1].Bytes) }), "only the frames asked for");
        Assert.That(body.LargestBuffer, Is.LessThanOrEqualTo(128));
    }

    [Test]
    [CancelAfter(5_000)]
    public async Task WriteSplitAsync_PieceLargerThanABuffer_IsWrittenBackToBackWithThePauseOnlyBetweenPieces(CancellationToken cancellationToken)
    {
        var time = new FakeTimeProvider();
        var body = new FakeResponseBody();
        byte[] bytes = Encoding.UTF8.GetBytes(new string('x', 2 * StreamBody.MaxBuffer + 10));
        var writing = new BodyWriter(body, time).WriteSplitAsync(bytes, StreamBody.MaxBuffer + 5, TimeSpan.FromMilliseconds(30), CancellationToken.None);

        await body.WhenWritesStarted(2).WaitAsync(cancellationToken);
        Assert.That(body.Writes.Select(w => w.Length), Is.EqualTo(new[] { StreamBody.MaxBuffer, 5 }), "the first piece, in two writes, before any pause");

        time.Advance(TimeSpan.FromMilliseconds(30));
        await writing.WaitAsync(cancellationToken);
        Assert.That(body.Writes.Select(w => w.Length), Is.EqualTo(new[] { StreamBody.MaxBuffer, 5, StreamBody.MaxBuffer, 5 }), "two pieces of MaxPayload + 5 bytes");
        Assert.That(body.LargestBuffer, Is.LessThan(LargeObjectThreshold));
    }

    [Test]
    [CancelAfter(5_000)]
    public async Task WriteAllAsync_NothingToWrite_WritesNoEmptyChunk(CancellationToken cancellationToken)
    {
        var body = new FakeResponseBody();

        await new BodyWriter(body, new FakeTimeProvider()).WriteAllAsync([], []).WaitAsync(cancellationToken);

        Assert.That(body.Writes, Is.Empty, "an empty chunk would end a chunked body");
    }

    private static Frame Frame(long id, int size)
    {
        string head = $"id: {id}\ndata: ";
        return TestFrames.Event(id, Encoding.UTF8.GetBytes(head + new string('d', size - head.Length - 2) + "\n\n"));
    }

    private static IEnumerable<int> Sizes(int total)
    {
        for (; total > StreamBody.MaxBuffer; total -= StreamBody.MaxBuffer)
        {
            yield return StreamBody.MaxBuffer;
        }

        yield return total;
    }
}
