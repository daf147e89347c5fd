using System.Text.Json;

namespace SseFlights.Scenario;

/// <summary>
/// Reads a rule's transport fault members, the same in a scenario's <c>responses</c> rule and in a control
/// API fault: <c>bandwidth</c> (bytes per second), <c>latency</c> (<c>ms</c>, <c>jitterMs</c>), and at most one of
/// <c>reset</c> (<c>afterEvents</c> or <c>afterBytes</c>), <c>stall</c> (<c>afterEvents</c>) and <c>truncate</c>
/// (<c>afterEvents</c>, <c>bytes</c>). Events are the frames that carry an id, the snapshot included.
/// </summary>
internal sealed class TransportFaultReader(JsonChecks checks)
{
    public static readonly string[] Members = ["bandwidth", "latency", "reset", "stall", "truncate"];

    private const string EventsWanted = "a whole number of frames with an id (the snapshot included), from 0 to 1000000";

    /// <summary>The fault the members of <paramref name="rule"/> describe, or null when it has none (or they are wrong, reported).</summary>
    public TransportFault? Read(JsonElement rule, string path)
    {
        if (!Members.Any(m => rule.TryGetProperty(m, out _)))
        {
            return null;
        }

        int before = checks.Errors.Count;
        int? bandwidth = checks.WholeNumber(rule, path, "bandwidth", 1, TransportFault.MaxBytesPerSecond, $"a whole number of bytes per second, from 1 to {TransportFault.MaxBytesPerSecond}", required: false);
        var latency = ReadLatency(rule, path);
        string[] ends = [.. new[] { "reset", "stall", "truncate" }.Where(m => rule.TryGetProperty(m, out _))];
        if (ends.Length > 1)
        {
            checks.Errors.Add(JsonPositionIndex.Join(path, ends[1]), $"a stream ends one way; \"{ends[0]}\" is already given");
        }

        FaultTrigger? end = ends.Length == 0 ? null : ends[0] switch
        {
            "reset" => ReadReset(rule.GetProperty("reset"), JsonPositionIndex.Join(path, "reset")),
            "stall" => ReadAfterEvents(rule.GetProperty("stall"), JsonPositionIndex.Join(path, "stall"), FaultCut.Stall, "afterEvents"),
            _ => ReadAfterEvents(rule.GetProperty("truncate"), JsonPositionIndex.Join(path, "truncate"), FaultCut.Truncate, "afterEvents", "bytes"),
        };
        return checks.Errors.Count > before ? null : new TransportFault(bandwidth, latency, end);
    }

    private WriteLatency? ReadLatency(JsonElement rule, string path)
    {
        string latencyPath = JsonPositionIndex.Join(path, "latency");
        if (!rule.TryGetProperty("latency", out var latency) || !checks.IsObject(latency, latencyPath, "an object with \"ms\" and optionally \"jitterMs\""))
        {
            return null;
        }

        checks.OnlyMembers(latency, latencyPath, "ms", "jitterMs");
        int? ms = checks.WholeNumber(latency, latencyPath, "ms", 0, WriteLatency.MaxMs, $"a whole number of milliseconds each write waits, from 0 to {WriteLatency.MaxMs}");
        int? jitter = checks.WholeNumber(latency, latencyPath, "jitterMs", 0, WriteLatency.MaxMs, $"a whole number of milliseconds from 0 to {WriteLatency.MaxMs}", required: false);
        if (ms is not null && jitter > ms)
        {
            checks.Errors.Add(JsonPositionIndex.Join(latencyPath, "jitterMs"), $"must be at most \"ms\" ({ms}): a write never waits less than 0 ms");
        }

        return ms is null ? null : new WriteLatency(ms.Value, jitter ?? 0);
    }

    private FaultTrigger? ReadReset(JsonElement reset, string path)
    {
        if (!checks.IsObject(reset, path, "an object with \"afterEvents\" or \"afterBytes\""))
        {
            return null;
        }

        checks.OnlyMembers(reset, path, "afterEvents", "afterBytes");
        bool events = reset.TryGetProperty("afterEvents", out _), bytes = reset.TryGetProperty("afterBytes", out _);
        if (events == bytes)
        {
            checks.Errors.Add(path, "give one of \"afterEvents\" (frames with an id, the snapshot included) and \"afterBytes\" (bytes of the body; 0 resets before the head)");
            return null;
        }

        int? after = events
            ? checks.WholeNumber(reset, path, "afterEvents", 0, 1_000_000, EventsWanted)
            : checks.WholeNumber(reset, path, "afterBytes", 0, int.MaxValue, $"a whole number of body bytes, from 0 (a reset before the head) to {int.MaxValue}");
        return after is null ? null : new FaultTrigger(FaultCut.Reset, events ? after : null, events ? null : after);
    }

    private FaultTrigger? ReadAfterEvents(JsonElement value, string path, FaultCut cut, params string[] members)
    {
        string what = cut == FaultCut.Stall ? "an object with \"afterEvents\"" : "an object with \"afterEvents\" and \"bytes\"";
        if (!checks.IsObject(value, path, what))
        {
            return null;
        }

        checks.OnlyMembers(value, path, members);
        int? after = checks.WholeNumber(value, path, "afterEvents", 0, 1_000_000, EventsWanted);
        int? bytes = cut == FaultCut.Truncate
            ? checks.WholeNumber(value, path, "bytes", 1, FrameSplit.MaxBytes, $"a whole number of bytes of the next frame, from 1 to {FrameSplit.MaxBytes}")
            : 0;
        return after is null || bytes is null ? null : new FaultTrigger(cut, after, null, bytes.Value);
    }
}
