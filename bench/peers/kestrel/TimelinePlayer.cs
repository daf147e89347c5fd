using System.Diagnostics;

namespace KestrelPeer;

/// <summary>Plays the timeline on the scenario clock: entry i at start + at / speed, by absolute
/// offset so delays never add up to drift; every entry already due is played in order.</summary>
internal sealed class TimelinePlayer(Timeline timeline, Hub hub, double speed)
{
    private static readonly TimeSpan MinDelay = TimeSpan.FromMilliseconds(1);

    private readonly long _startTimestamp = Stopwatch.GetTimestamp();

    /// <summary>Wall-clock time of the scenario clock's zero, for /healthz.</summary>
    public DateTime StartedAt { get; } = DateTime.UtcNow;

    public async Task RunAsync(CancellationToken ct)
    {
        foreach (TimelineEntry entry in timeline.Entries)
        {
            TimeSpan due = TimeSpan.FromSeconds(entry.At / speed);
            // Task.Delay runs on a coarse millisecond clock and can wake a little early: check again.
            for (TimeSpan wait = due - Stopwatch.GetElapsedTime(_startTimestamp); wait > TimeSpan.Zero; wait = due - Stopwatch.GetElapsedTime(_startTimestamp))
            {
                await Task.Delay(wait < MinDelay ? MinDelay : wait, ct);
            }
            hub.Play(entry);
        }
    }
}
