using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Serilog;
using SseFlights.Cli;

namespace SseFlights.Nats;

/// <summary>
/// The shared log over NATS JetStream: one connection, one stream (<see cref="NatsLogOptions.Subject"/>),
/// bounded to <see cref="NatsLogOptions.MaxMessages"/> messages, the oldest discarded first. It appends
/// with the server's acknowledgement, reads one message by sequence, reads in order from a sequence on
/// (surviving the server going away and coming back), and tracks whether the server is reachable. The
/// NATS client reconnects by itself, forever; nothing here ever gives up on the log.
/// </summary>
internal sealed class NatsLog : ILogAppender, ILogReader, IAsyncDisposable
{
    private readonly NatsConnection _connection;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly ReachabilityWatch _reachability;

    // Set once by EnsureStreamAsync; reading one message by sequence goes through it.
    private INatsJSStream? _stream;

    private NatsLog(NatsConnection connection, NatsLogOptions options, TimeProvider time, ILogger log)
    {
        (_connection, Options, _time, _log) = (connection, options, time, log);
        JetStream = new NatsJSContext(connection);
        _reachability = new ReachabilityWatch(options.DisplayUrl, time, log);
        connection.ConnectionDisconnected += (_, _) => Changed(Reachability.Unreachable);
        connection.ConnectionOpened += (_, _) => Changed(Reachability.Reachable);
    }

    /// <summary>Raised on the NATS client's event loop when the reachability changes; keep handlers short.</summary>
    public event Action<LogStatus>? StatusChanged
    {
        add => _reachability.Changed += value;
        remove => _reachability.Changed -= value;
    }

    public NatsLogOptions Options { get; }

    /// <summary>Whether the server is reachable now, and since when: for health ("the log is unreachable since ...").</summary>
    public LogStatus Status => _reachability.Status;

    /// <summary>For the snapshot store in this folder.</summary>
    internal NatsJSContext JetStream { get; }

    /// <summary>
    /// Connects to <see cref="NatsLogOptions.Url"/>; throws <see cref="LogUnavailableException"/> when no
    /// server answers or the server refuses the credentials. Once connected the client reconnects by itself.
    /// </summary>
    public static async Task<NatsLog> ConnectAsync(NatsLogOptions options, TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        log = log.ForContext<NatsLog>();
        if (options.CredsFile is { } creds && !File.Exists(creds))
        {
            throw new LogUnavailableException($"cannot read the NATS credentials file '{creds}': file not found");
        }

        var bridge = new NatsLogBridge(log);
        var connection = new NatsConnection(new NatsOpts
        {
            Url = options.Url,
            Name = "sseflights",
            AuthOpts = NatsAuthOpts.Default with { CredsFile = options.CredsFile },
            LoggerFactory = bridge,

            // Back within a second of the server, and a silent one (no TCP reset) noticed in about 20 s.
            ReconnectWaitMin = TimeSpan.FromMilliseconds(250),
            ReconnectWaitMax = TimeSpan.FromSeconds(2),
            PingInterval = TimeSpan.FromSeconds(10),

            // An append while the server is away fails after CommandTimeout (5 s) instead of waiting, unsent, for its return.
            PublishTimeoutOnDisconnected = true,
        });
        var natsLog = new NatsLog(connection, options, time, log);
        try
        {
            // The client's connect takes no token; it ends within ConnectTimeout (2 s) per server, and is
            // awaited to its end rather than abandoned, so a stop during it is honoured just after.
            await connection.ConnectAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
        catch (Exception ex) when (ex is NatsException or OperationCanceledException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            if (ex is OperationCanceledException)
            {
                throw;
            }

            string reason = NatsErrors.Describe(ex.InnerException is null && bridge.LastError is { } logged ? logged : ex);
            throw new LogUnavailableException($"cannot connect to NATS at {options.DisplayUrl}: {reason}", ex);
        }

        natsLog._reachability.Set(Reachability.Reachable);
        log.Information("Connected to NATS at {NatsUrl}", options.DisplayUrl);
        return natsLog;
    }

    /// <summary>
    /// Opens the stream, creating it if missing (see <see cref="LogStreamSetup"/>), and returns its state:
    /// a starting replica has caught up once it has applied <see cref="LogStreamState.LastSequence"/>.
    /// </summary>
    public async Task<LogStreamState> EnsureStreamAsync(CancellationToken cancellationToken)
    {
        try
        {
            var stream = await LogStreamSetup.EnsureAsync(JetStream, Options, _log, cancellationToken).ConfigureAwait(false);
            _stream = stream;
            return LogStreamSetup.StateOf(stream.Info);
        }
        catch (NatsException ex)
        {
            throw new LogUnavailableException($"cannot open the stream {Options.Stream} at {Options.DisplayUrl}: {NatsErrors.Describe(ex)}", ex);
        }
    }

    /// <summary>The stream's sequences now: the last one is where a starting replica has caught up.</summary>
    public async Task<LogStreamState> StateAsync(CancellationToken cancellationToken)
    {
        try
        {
            var stream = await JetStream.GetStreamAsync(Options.Stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            return LogStreamSetup.StateOf(stream.Info);
        }
        catch (NatsException ex)
        {
            throw new LogUnavailableException($"cannot read the state of the stream {Options.Stream} at {Options.DisplayUrl}: {NatsErrors.Describe(ex)}", ex);
        }
    }

    public async Task<long> AppendAsync(ReadOnlyMemory<byte> body, string? messageId, CancellationToken cancellationToken)
    {
        try
        {
            var ack = await JetStream.PublishAsync(
                Options.Subject,
                body,
                opts: new NatsJSPubOpts { MsgId = messageId, ExpectedStream = Options.Stream },
                cancellationToken: cancellationToken).ConfigureAwait(false);
            if (ack.Error is { } error)
            {
                throw new NatsJSApiException(error);
            }

            if (ack.Duplicate)
            {
                // A copy of a message the log already has (its first ack was lost): the original's sequence.
                _log.Debug("Message {MessageId} was already in the log as sequence {Sequence}", messageId, ack.Seq);
            }

            return (long)ack.Seq;
        }
        catch (NatsException ex)
        {
            throw new LogUnavailableException($"publishing to {Options.Subject} at {Options.DisplayUrl} failed: {NatsErrors.Describe(ex)}", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The client's own deadline for publishing while disconnected.
            throw new LogUnavailableException($"publishing to {Options.Subject} at {Options.DisplayUrl} failed: {NatsErrors.NoAnswer}", ex);
        }
    }

    /// <summary>
    /// The message at <paramref name="sequence"/>, or null when the stream holds none there (discarded by
    /// the bound, or not yet written): for resuming an id older than a replica's own history.
    /// </summary>
    public async Task<LogRecord?> GetAsync(long sequence, CancellationToken cancellationToken)
    {
        var stream = _stream ?? throw new InvalidOperationException("EnsureStreamAsync must run before GetAsync");
        try
        {
            var found = await stream.GetAsync(new StreamMsgGetRequest { Seq = (ulong)sequence }, cancellationToken).ConfigureAwait(false);
            return new LogRecord((long)found.Message.Seq, found.Message.Data.ToArray()) { Stored = found.Message.Time };
        }
        catch (NatsJSApiException ex) when (ex.Error.Code == 404)
        {
            return null;
        }
        catch (NatsException ex)
        {
            throw new LogUnavailableException($"cannot read message {sequence} of the stream {Options.Stream} at {Options.DisplayUrl}: {NatsErrors.Describe(ex)}", ex);
        }
    }

    /// <summary>
    /// Every message from <paramref name="fromSequence"/> on, in order, then each new one as it is appended,
    /// until <paramref name="cancellationToken"/> is cancelled. The server going away and coming back on the
    /// same store costs neither a gap nor a duplicate: reading resumes after the last message delivered. A
    /// sequence that jumps means the messages between were discarded by the bound before they were read.
    /// </summary>
    public async IAsyncEnumerable<LogRecord> ReadFromAsync(long fromSequence, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var reader = new OrderedLogReader(JetStream, Options.Stream, Math.Max(1, fromSequence), _time, _log);
        while (true)
        {
            yield return await reader.NextAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync().ConfigureAwait(false);

    private ValueTask Changed(Reachability reachability)
    {
        _reachability.Set(reachability);
        return default;
    }
}
