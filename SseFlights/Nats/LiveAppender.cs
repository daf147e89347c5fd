using Serilog;
using SseFlights.Cli;
using SseFlights.Scenario;
using SseFlights.Sources;

namespace SseFlights.Nats;

/// <summary>
/// The control API's way into a live log: an entry is appended as its message (the same one
/// <c>sseflights publish</c> writes), and the answer waits until this replica's own reader has applied
/// it, so a 201 means every client of this replica has been offered the event, with the log's sequence
/// as its id. Every other replica applies the same message at the same point of the same log.
/// </summary>
internal sealed class LiveAppender(ILogAppender log, AppliedOutcomes outcomes, NatsLogOptions options, TimeProvider time, ILogger logger) : ILiveTimeline
{
    /// <summary>How long an appended entry may take to come back through this replica's reader before the answer gives up on it.</summary>
    public static readonly TimeSpan ComeBackTimeout = TimeSpan.FromSeconds(10);

    private readonly ILogger _log = logger.ForContext<LiveAppender>();

    public string Describe => $"the stream {options.Stream} at {options.DisplayUrl}";

    public async Task<LiveAppend> AppendAsync(TimelineEntry entry, CancellationToken cancellationToken)
    {
        long sequence;
        try
        {
            sequence = await log.AppendAsync(LogMessageCodec.Encode(entry), messageId: null, cancellationToken).ConfigureAwait(false);
        }
        catch (LogUnavailableException ex)
        {
            return new LiveAppend(LiveAppendOutcome.Unavailable, 0, ex.Message);
        }

        var outcome = await outcomes.WaitAsync(sequence, ComeBackTimeout, time, cancellationToken).ConfigureAwait(false);
        if (outcome is null)
        {
            _log.Warning("Control: the entry appended as sequence {Sequence} has not come back within {Seconds} s", sequence, ComeBackTimeout.TotalSeconds);
            return new LiveAppend(LiveAppendOutcome.Unavailable, sequence, $"appended as sequence {sequence}, but not yet read back from the log by this replica");
        }

        return outcome.Kind switch
        {
            LogOutcomeKind.Event => new LiveAppend(LiveAppendOutcome.Event, sequence, null),
            LogOutcomeKind.Applied => new LiveAppend(LiveAppendOutcome.Applied, sequence, null),
            LogOutcomeKind.Refused => new LiveAppend(LiveAppendOutcome.Refused, sequence, outcome.Reason),
            _ => new LiveAppend(LiveAppendOutcome.AfterClose, sequence, outcome.Reason),
        };
    }
}
