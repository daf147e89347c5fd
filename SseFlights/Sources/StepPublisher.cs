using Serilog;
using SseFlights.Delivery;
using SseFlights.Hub;
using SseFlights.Scenario;

namespace SseFlights.Sources;

/// <summary>
/// What one step of a timeline does to the hub: a repeat cycle's start resets the board and sends a
/// snapshot, a drop ends every stream, a comment, retry or raw entry goes to the open streams only,
/// and an event is published. The past replayed at start (a replica catching up to its epoch) is
/// published quietly, and has no streams to drop and no live-only frames to send.
/// </summary>
internal sealed class StepPublisher(EventHub hub, ILogger log)
{
    /// <param name="entry">The entry, or null for the start of repeat cycle <paramref name="cycle"/>.</param>
    /// <returns>The frame published with an id (an event, or a cycle's snapshot); null for a drop or a live-only frame, or after the close.</returns>
    public Frame? Fire(long cycle, TimelineEntry? entry, long due, bool replay)
    {
        if (entry is null)
        {
            var snapshot = hub.StartCycle(due, replay);
            if (!replay)
            {
                log.Information("Cycle {Cycle} begins: board reset, snapshot sent as event {EventId}", cycle + 1, snapshot.Id);
            }

            return snapshot;
        }

        if (replay && (entry.Kind == EntryKind.Drop || entry.IsLiveOnly))
        {
            return null;
        }

        if (entry.Kind == EntryKind.Drop)
        {
            int dropped = hub.DropAll();
            log.Information("Scenario drop at {At}s: cut {Count} streams", entry.At, dropped);
            return null;
        }

        if (entry.IsLiveOnly)
        {
            var live = hub.PublishLive(entry, due);
            log.Debug("Live-only {Kind} frame at {At}s: {Bytes} bytes", live.Kind, entry.At, live.Bytes.Length);
            return null;
        }

        // Null when the board has closed meanwhile (the control API's close): nothing follows a close.
        if (hub.Publish(entry, due, replay) is not { } frame || replay)
        {
            return null;
        }

        log.Debug("Event {EventId} {EventName} at {At}s: {Data}", frame.Id, frame.EventType, entry.At, entry.Data);
        if (frame.EndsStream)
        {
            log.Information("The board has closed with event {EventId}; new streams get 204 No Content", frame.Id);
        }

        return frame;
    }
}
