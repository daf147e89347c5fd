namespace SseFlights.Bench.Target;

/// <summary>Samples a process from /proc every 250 ms in the background and keeps the peak thread
/// count and RSS since the last <see cref="ResetPeaks"/>: a burst of threads between two
/// start/end readings would otherwise go unseen.</summary>
internal sealed class ProcWatcher : IAsyncDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(250);

    private readonly int _pid;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Lock _gate = new();
    private int _peakThreads;
    private long _peakRssKiB;

    public ProcWatcher(int pid)
    {
        _pid = pid;
        _loop = WatchAsync(_stop.Token);
    }

    public (int Threads, long RssKiB) Peaks
    {
        get { lock (_gate) return (_peakThreads, _peakRssKiB); }
    }

    public void ResetPeaks()
    {
        ProcSample? now = ProcSample.Read(_pid);
        lock (_gate)
        {
            _peakThreads = now?.Threads ?? 0;
            _peakRssKiB = now?.RssKiB ?? 0;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop;
        _stop.Dispose();
    }

    private async Task WatchAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(Period);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                if (ProcSample.Read(_pid) is not { } sample) continue;
                lock (_gate)
                {
                    _peakThreads = Math.Max(_peakThreads, sample.Threads);
                    _peakRssKiB = Math.Max(_peakRssKiB, sample.RssKiB);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }
}
