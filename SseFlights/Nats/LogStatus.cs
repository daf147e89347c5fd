namespace SseFlights.Nats;

/// <summary>Whether this process can talk to the log's server right now.</summary>
internal enum Reachability
{
    Reachable,

    /// <summary>The connection is down and the client is reconnecting: appends fail, reads wait.</summary>
    Unreachable,
}

/// <summary>The log's reachability and since when (for health reports: "unreachable for 12 s").</summary>
internal sealed record LogStatus(Reachability Reachability, DateTimeOffset Since);
