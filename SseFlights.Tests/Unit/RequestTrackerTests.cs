using SseFlights.Http;

namespace SseFlights.Tests.Unit;

/// <summary>The requests a shutdown waits for: none is left behind, however fast it finished.</summary>
public class RequestTrackerTests
{
    [Test]
    public void Track_ARequestThatHasAlreadyFinished_LeavesNothingBehind()
    {
        var tracker = new RequestTracker();

        // The race the tracker exists for: the request ran to its end on another thread before the
        // accept loop stored it (stored after it started, with its own finally removing it, it stayed).
        tracker.Track(Task.CompletedTask);

        Assert.That(tracker.Count, Is.Zero);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task Track_ARequestInFlight_IsWaitedForAndThenGone(CancellationToken cancellationToken)
    {
        var tracker = new RequestTracker();
        var request = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tracker.Track(request.Task);
        var all = tracker.WhenAllEndedAsync();

        Assert.That((tracker.Count, all.IsCompleted), Is.EqualTo((1, false)));
        request.SetResult();
        await all.WaitAsync(cancellationToken);
        await Support.Eventually.TrueAsync(() => tracker.Count == 0, TimeSpan.FromSeconds(5), "the finished request to leave");
    }
}
