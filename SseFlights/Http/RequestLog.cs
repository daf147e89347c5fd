namespace SseFlights.Http;

/// <summary>
/// Every request for <c>/events</c>, numbered per client key (the <c>client</c> query value; requests
/// without one share a key) from 1 in arrival order, whatever its method and however it is answered:
/// the numbers the scenario's <c>responses</c> rules match, and, for the control API, the newest
/// <paramref name="capacity"/> requests themselves (headers and bodies too), oldest first. Bounded three
/// ways, since keys, headers and bodies come from the network: at most <see cref="MaxKeys"/> keys, at
/// most <paramref name="capacity"/> entries, at most <paramref name="maxChars"/> characters of them.
/// </summary>
internal sealed class RequestLog(TimeProvider time, int capacity, long maxChars = RequestLog.MaxChars)
{
    /// <summary>Entries kept by a server with the control API on.</summary>
    public const int DefaultCapacity = 10_000;

    /// <summary>Keys numbered at most; a request with a key beyond them gets number 0 and no rule.</summary>
    public const int MaxKeys = 10_000;

    /// <summary>Characters of headers and bodies a server's log keeps at most (ten thousand 64 KiB bodies would be 640 MB).</summary>
    public const long MaxChars = 32 * 1024 * 1024;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (int Count, long Last)> _keys = new(StringComparer.Ordinal);
    private readonly Queue<LoggedRequest> _entries = new();
    private long _chars;

    /// <summary>
    /// Numbers a request of <paramref name="client"/>'s and, when the log keeps entries, keeps it with its
    /// headers (read through <paramref name="headers"/> only then) and body.
    /// </summary>
    public LoggedRequest Record(string? client, string method, string target, Func<IReadOnlyDictionary<string, string>> headers, string? body)
    {
        long now = time.GetTimestamp();
        var received = time.GetUtcNow().UtcDateTime;
        int number;
        double? since = null;
        lock (_gate)
        {
            string key = client ?? "";
            if (_keys.TryGetValue(key, out var seen) || _keys.Count < MaxKeys)
            {
                number = seen.Count + 1;
                since = seen.Count == 0 ? null : Math.Round(time.GetElapsedTime(seen.Last, now).TotalMilliseconds, 1);
                _keys[key] = (number, now);
            }
            else
            {
                number = 0;
            }
        }

        var entry = new LoggedRequest(client, number, method, target, capacity == 0 ? Empty : headers(), body, received, since);
        if (capacity > 0)
        {
            Keep(entry);
        }

        return entry;
    }

    /// <summary>The requests kept, oldest first; only <paramref name="client"/>'s when it is given.</summary>
    public IReadOnlyList<LoggedRequest> Entries(string? client = null)
    {
        lock (_gate)
        {
            return [.. _entries.Where(e => client is null || e.Client == client)];
        }
    }

    /// <summary>Forgets every request kept (the numbering goes on); returns how many there were.</summary>
    public int Clear()
    {
        lock (_gate)
        {
            int count = _entries.Count;
            _entries.Clear();
            _chars = 0;
            return count;
        }
    }

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    private void Keep(LoggedRequest entry)
    {
        lock (_gate)
        {
            _entries.Enqueue(entry);
            _chars += entry.Size;
            while (_entries.Count > capacity || (_chars > maxChars && _entries.Count > 1))
            {
                _chars -= _entries.Dequeue().Size;
            }
        }
    }
}
