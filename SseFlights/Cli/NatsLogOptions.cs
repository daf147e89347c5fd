namespace SseFlights.Cli;

/// <summary>
/// Where the shared log lives and how long it may grow: the values of <c>--nats</c>, <c>--nats-stream</c>,
/// <c>--nats-creds</c> and <c>--nats-max-msgs</c>, already validated. Every name derives from the stream's,
/// so replicas and the feeder given the same one meet on the same stream, subject and snapshot bucket.
/// </summary>
/// <param name="Url">One NATS server URL or several separated by commas; credentials may sit in it (<c>nats://user:pass@host:4222</c>).</param>
/// <param name="Stream">The JetStream stream's name: letters, digits, '-' and '_'.</param>
/// <param name="CredsFile">A NATS credentials file (JWT and seed), or null.</param>
/// <param name="MaxMessages">The stream's bound: it keeps at most this many messages, discarding the oldest.</param>
internal sealed record NatsLogOptions(string Url, string Stream, string? CredsFile, long MaxMessages)
{
    public const string DefaultStream = "sseflights";
    public const long DefaultMaxMessages = 100_000;

    /// <summary>The one subject the stream holds: every entry of the board is published here.</summary>
    public string Subject => $"{Stream}.events";

    /// <summary>The key-value bucket holding the newest board snapshot.</summary>
    public string BoardBucket => $"{Stream}-board";

    /// <summary>The URL as it may be printed: any credentials in it replaced by <c>***</c>.</summary>
    public string DisplayUrl => NatsUrls.Redact(Url);
}
