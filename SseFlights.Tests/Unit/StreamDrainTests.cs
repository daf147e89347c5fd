using Microsoft.Extensions.Time.Testing;
using SseFlights.Delivery;
using SseFlights.Hub;
using SseFlights.Http;

namespace SseFlights.Tests.Unit;

/// <summary>The drain's schedule on a fake clock: even steps across the window, and the rest at once on a second signal.</summary>
public class StreamDrainTests
{
    [Test]
    [CancelAfter(10_000)]
    public async Task EndEvenly_TenStreamsOverOneSecond_EndsOneEvery100Milliseconds()
    {
        var time = new FakeTimeProvider();
        var streams = Enumerable.Range(1, 10).Select(i => new FakeSubscriber(i)).ToList();

        var drain = StreamDrain.EndEvenlyAsync(streams, TimeSpan.FromSeconds(1), time, CancellationToken.None);
        var ended = new List<int>();
        for (int step = 0; step < 10; step++)
        {
            await Support.Eventually.TrueAsync(() => streams.Count(s => s.FinishReason is not null) == step + 1, TimeSpan.FromSeconds(5), $"stream {step + 1} to end");
            ended.Add(streams.Count(s => s.FinishReason is not null));
            time.Advance(TimeSpan.FromMilliseconds(99));
            Assert.That(streams.Count(s => s.FinishReason is not null), Is.EqualTo(step + 1), "nothing more ends before its step");
            time.Advance(TimeSpan.FromMilliseconds(1));
        }

        await drain;
        Assert.That(ended, Is.EqualTo(Enumerable.Range(1, 10)));
        Assert.That(streams.Select(s => (s.FinishReason, s.CutReason)), Is.All.EqualTo(((StreamEndReason?)StreamEndReason.Shutdown, (StreamEndReason?)null)));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task EndEvenly_SecondSignalMidway_EndsTheRestWithoutWaiting()
    {
        var time = new FakeTimeProvider();
        var streams = Enumerable.Range(1, 10).Select(i => new FakeSubscriber(i)).ToList();
        using var now = new CancellationTokenSource();

        var drain = StreamDrain.EndEvenlyAsync(streams, TimeSpan.FromSeconds(10), time, now.Token);
        time.Advance(TimeSpan.FromSeconds(3));
        await Support.Eventually.TrueAsync(() => streams.Count(s => s.FinishReason is not null) == 4, TimeSpan.FromSeconds(5), "four streams by 3 s");
        await now.CancelAsync();

        await drain;
        Assert.That(streams.All(s => s.FinishReason == StreamEndReason.Shutdown), Is.True);
    }
}
