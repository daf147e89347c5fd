using System.Diagnostics.Tracing;

namespace SseFlights.Metrics;

/// <summary>Why the runtime started a garbage collection (the runtime's own gc_reason numbers).</summary>
internal enum GcReason
{
    AllocSmall = 0,
    Induced = 1,
    LowMemory = 2,
    Empty = 3,
    AllocLarge = 4,
    OutOfSpaceSmall = 5,
    OutOfSpaceLarge = 6,
    InducedNotForced = 7,
    Internal = 8,
    InducedLowMemory = 9,
    Other = 10,
}

/// <summary>
/// Counts the process's full (gen-2) collections by the reason the runtime gives, from its own
/// GC start events: <see cref="GcReason.AllocLarge"/> means large-object-heap allocations (big
/// buffers) forced them, <see cref="GcReason.AllocSmall"/> that ordinary promotion filled gen 2.
/// One per process (collections are the process's, not a server's). Nothing is counted where the
/// runtime's events are off (a trimmed or AOT publish without EventSourceSupport, which SseFlights.csproj
/// keeps on): <see cref="Gen2ByReason"/> is then null.
/// </summary>
internal sealed class GcWatch : EventListener
{
    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private const int GcStartEventId = 1;

    private static readonly Lazy<GcWatch> Shared = new(() => new GcWatch());

    // Field initialisers run before the base constructor, which may already report the runtime's source.
    private readonly long[] _gen2 = new long[(int)GcReason.Other + 1];
    private volatile bool _listening;

    private GcWatch()
    {
    }

    public static GcWatch Process => Shared.Value;

    /// <summary>Full collections so far by reason (only reasons seen), or null when the runtime's GC events cannot be heard.</summary>
    public IReadOnlyDictionary<string, long>? Gen2ByReason => _listening
        ? Enum.GetValues<GcReason>().Where(r => Volatile.Read(ref _gen2[(int)r]) > 0).ToDictionary(r => r.ToString(), r => Volatile.Read(ref _gen2[(int)r]))
        : null;

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeSource)
        {
            EnableEvents(eventSource, EventLevel.Informational, GcKeyword);
            _listening = true;
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventId != GcStartEventId || eventData.Payload is not { } payload || eventData.PayloadNames is not { } names)
        {
            return;
        }

        int depth = names.IndexOf("Depth"), reason = names.IndexOf("Reason");
        if (depth < 0 || reason < 0 || Convert.ToUInt32(payload[depth]) != 2)
        {
            return;
        }

        uint why = Convert.ToUInt32(payload[reason]);
        Interlocked.Increment(ref _gen2[Math.Min(why, (uint)GcReason.Other)]);
    }
}
