namespace SseFlights.Sources;

/// <summary>Where a live source stands, for <c>/healthz</c>.</summary>
internal enum SourceCondition
{
    /// <summary>Caught up and reading: every event the log holds has been applied, or will be as it arrives.</summary>
    Ready,

    /// <summary>Starting: not yet applied the log's last entry as of the start (or not yet reached the log). New streams are refused.</summary>
    CatchingUp,

    /// <summary>Caught up once, but the log is unreachable now: open streams stay open, new ones get what this replica has.</summary>
    Degraded,
}

/// <summary>
/// A live source's health: its condition, the last log entry it applied, and since how long its log
/// has been unreachable (null while it is reachable).
/// </summary>
internal sealed record SourceHealth(SourceCondition Condition, long AppliedSequence, double? LogUnreachableSeconds);

/// <summary>A source that can be behind or cut off from where its events come from: a live log.</summary>
internal interface ISourceHealth
{
    SourceHealth Health();
}
