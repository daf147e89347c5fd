using Serilog;
using SseFlights.Cli;

namespace SseFlights.Nats;

/// <summary>
/// Opens the log for a replica and keeps trying until it can: connect, open (or create) the stream and
/// the snapshot bucket. A log that is unreachable at start is not fatal: the first failure is one
/// warning line, each later one a debug line, and the replica reports itself catching up meanwhile.
/// </summary>
internal sealed class LogConnector(NatsLogOptions options, TimeProvider time, ILogger log)
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(2);

    private readonly ILogger _log = log.ForContext<LogConnector>();

    /// <summary>The open log, its stream's state as of now, and its snapshot store; throws only <see cref="OperationCanceledException"/>.</summary>
    public async Task<OpenLog> OpenAsync(CancellationToken cancellationToken)
    {
        var wait = FirstRetry;
        for (int attempt = 1; ; attempt++)
        {
            NatsLog? natsLog = null;
            try
            {
                natsLog = await NatsLog.ConnectAsync(options, time, log, cancellationToken).ConfigureAwait(false);
                var stream = await natsLog.EnsureStreamAsync(cancellationToken).ConfigureAwait(false);
                var store = await BoardSnapshotStore.OpenAsync(natsLog, log, cancellationToken).ConfigureAwait(false);
                if (attempt > 1)
                {
                    _log.Information("The log is open after {Attempts} attempts", attempt);
                }

                return new OpenLog(natsLog, stream, store);
            }
            catch (LogUnavailableException ex)
            {
                if (natsLog is not null)
                {
                    await natsLog.DisposeAsync().ConfigureAwait(false);
                }

                if (attempt == 1)
                {
                    _log.Warning("{Reason}; this replica is not ready and keeps trying", ex.Message);
                }
                else
                {
                    _log.Debug("Attempt {Attempt} to open the log failed: {Reason}", attempt, ex.Message);
                }
            }
            catch (OperationCanceledException) when (natsLog is not null)
            {
                await natsLog.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            wait = TimeSpan.FromTicks(Math.Min(LongestRetry.Ticks, wait.Ticks * 2));
        }
    }
}

/// <summary>The log as a replica opened it: the connection, the stream's state at that moment, and the snapshot store.</summary>
internal sealed record OpenLog(NatsLog Log, LogStreamState Stream, BoardSnapshotStore Snapshots);
