namespace SseFlights.Http;

/// <summary>
/// Streams held after their head by a <c>hold</c> rule, by client key, until the control API releases
/// the key (<c>POST /api/control/release?client=KEY</c>). A held stream queues its events as usual
/// (bounded as ever) and writes them once released, so it goes on from where it joined with nothing lost;
/// one held past its queue's bound is cut as too slow, as any stream that falls that far behind.
/// </summary>
internal sealed class StreamHolds
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<TaskCompletionSource>> _held = new(StringComparer.Ordinal);

    /// <summary>Holds a stream of <paramref name="client"/>'s; the task completes on its release. Call <see cref="Leave"/> once the stream ends.</summary>
    public TaskCompletionSource Hold(string? client)
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            string key = client ?? "";
            if (!_held.TryGetValue(key, out var waiting))
            {
                _held[key] = waiting = [];
            }

            waiting.Add(release);
        }

        return release;
    }

    /// <summary>Releases every stream of <paramref name="client"/>'s held now; returns how many there were.</summary>
    public int Release(string client)
    {
        List<TaskCompletionSource>? released;
        lock (_gate)
        {
            _held.Remove(client, out released);
        }

        foreach (var release in released ?? [])
        {
            release.TrySetResult();
        }

        return released?.Count ?? 0;
    }

    /// <summary>A held stream has ended (released or not): it is no longer counted.</summary>
    public void Leave(string? client, TaskCompletionSource release)
    {
        lock (_gate)
        {
            string key = client ?? "";
            if (_held.TryGetValue(key, out var waiting) && waiting.Remove(release) && waiting.Count == 0)
            {
                _held.Remove(key);
            }
        }
    }
}
