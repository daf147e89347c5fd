using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Serilog;
using SseFlights.Cli;

namespace SseFlights.Nats;

/// <summary>
/// Opens the log's stream, creating it if missing: subject <see cref="NatsLogOptions.Subject"/>, at most
/// <see cref="NatsLogOptions.MaxMessages"/> messages, the oldest discarded, on disk. Replicas and the
/// feeder may race to create it; the loser opens the winner's.
/// </summary>
internal static class LogStreamSetup
{
    /// <summary>JetStream's error code for "stream name already in use with a different configuration".</summary>
    private const int StreamNameInUse = 10058;

    /// <summary>
    /// The stream, as it now exists. One that existed keeps its own bound (another process made it,
    /// perhaps with another); one that does not hold our subject is refused.
    /// </summary>
    public static async Task<INatsJSStream> EnsureAsync(INatsJSContext jetStream, NatsLogOptions options, ILogger log, CancellationToken cancellationToken)
    {
        var stream = await OpenOrCreateAsync(jetStream, options, log, cancellationToken).ConfigureAwait(false);
        var config = stream.Info.Config;
        if (config.Subjects is not { } subjects || !subjects.Contains(options.Subject))
        {
            throw new LogUnavailableException(
                $"the stream {options.Stream} at {options.DisplayUrl} holds {string.Join(", ", config.Subjects ?? [])}, not {options.Subject}; choose another --nats-stream");
        }

        if (config.MaxMsgs != options.MaxMessages)
        {
            log.Warning("The stream {Stream} already exists with a bound of {Existing} messages, not {Asked}; it keeps its own", options.Stream, config.MaxMsgs, options.MaxMessages);
        }

        return stream;
    }

    /// <summary>The server's numbers as ours: with no message kept, the first sequence is the one the next message gets.</summary>
    public static LogStreamState StateOf(StreamInfo info)
    {
        var state = info.State;
        long last = (long)state.LastSeq;
        long first = state.Messages == 0 ? last + 1 : (long)state.FirstSeq;
        return new LogStreamState(first, last, (long)state.Messages, info.Config.MaxMsgs);
    }

    private static async Task<INatsJSStream> OpenOrCreateAsync(INatsJSContext jetStream, NatsLogOptions options, ILogger log, CancellationToken cancellationToken)
    {
        try
        {
            return await jetStream.GetStreamAsync(options.Stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (NatsJSApiException ex) when (ex.Error.Code == 404)
        {
            // Not there yet: created below.
        }

        var config = new StreamConfig(options.Stream, [options.Subject])
        {
            MaxMsgs = options.MaxMessages,
            Discard = StreamConfigDiscard.Old,
            Storage = StreamConfigStorage.File,
            Retention = StreamConfigRetention.Limits,
        };
        try
        {
            var created = await jetStream.CreateStreamAsync(config, cancellationToken).ConfigureAwait(false);
            log.Information("Created the stream {Stream} for {Subject}, bounded to {MaxMessages} messages", options.Stream, options.Subject, options.MaxMessages);
            return created;
        }
        catch (NatsJSApiException ex) when (ex.Error.ErrCode == StreamNameInUse)
        {
            // Another replica (or the feeder) created it a moment ago.
            return await jetStream.GetStreamAsync(options.Stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }
}
