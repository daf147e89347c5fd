using SseFlights.Delivery;
using SseFlights.Hub;

namespace SseFlights.Tests.Unit;

/// <summary>A writer's follow-up put off with AfterFanout runs after its share has woken every writer, so a close reaches them all first.</summary>
public class AfterFanoutTests
{
    [Test]
    [CancelAfter(10_000)]
    public void RunShare_WritersThatEndAfterTheirClose_EndOnlyOnceEveryWriterOfTheShareHasWritten()
    {
        var order = new List<string>();
        var writers = new List<Task>();

        AfterFanout.RunShare(
            static state =>
            {
                for (int i = 1; i <= 3; i++)
                {
                    state.Writers.Add(WriterAsync(state.Order, i));
                }
            },
            (Order: order, Writers: writers));

        Assert.That(order, Is.EqualTo(new[] { "close 1", "close 2", "close 3", "end 1", "end 2", "end 3" }));
        Assert.That(writers.All(w => w.IsCompletedSuccessfully), Is.True);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Yield_OutsideAShare_ContinuesOnThePool()
    {
        var order = new List<string>();

        var writer = WriterAsync(order, 1);
        await writer;

        Assert.That(order, Is.EqualTo(new[] { "close 1", "end 1" }));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task RunShare_NothingPutOff_LeavesNothingForTheNextShareOnThisThread()
    {
        var order = new List<string>();
        AfterFanout.RunShare(static o => o.Add("wake"), order);

        // A writer that puts off its end outside any share is not held for a share that has finished.
        await WriterAsync(order, 1).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.That(order, Is.EqualTo(new[] { "wake", "close 1", "end 1" }));
    }

    private static async Task WriterAsync(List<string> order, int writer)
    {
        lock (order)
        {
            order.Add($"close {writer}");
        }

        await AfterFanout.Yield();
        lock (order)
        {
            order.Add($"end {writer}");
        }
    }
}
