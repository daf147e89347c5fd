using Serilog;
using SseFlights.Cli;
using SseFlights.Hub;
using SseFlights.Scenario;
using SseFlights.Sources;

namespace SseFlights.Nats;

/// <summary>
/// The hub's events from the shared log (<c>--nats</c>): opens the log (trying until it can), starts
/// from the scenario's flights or, when older messages are gone, from the newest stored board, then
/// applies every message in order with its sequence as the id (<see cref="LogApplier"/>), storing the
/// board every so many messages. Until it has applied the stream's last message as of its start, it
/// is catching up and the hub refuses streams. When the log goes away, open streams carry on with
/// heartbeats and reading resumes where it stopped once the log is back: no gap, no duplicate.
/// </summary>
internal sealed class LiveSource : IEventSource, ISourceHealth, ILogAppender, ILogReader
{
    /// <summary>
    /// A Last-Event-ID up to this many sequences beyond what this replica has applied is held until it gets
    /// there, not answered with a snapshot: another replica read a little further already.
    /// </summary>
    public const long HoldSlack = 1_000;

    private const string CatchingUp = "this replica is catching up with the log";

    private readonly EventHub _hub;
    private readonly LogConnector _connector;
    private readonly LogApplier _applier;
    private readonly SkippedSequences _skipped;
    private readonly SnapshotWriter _snapshots;
    private readonly LogMessageCodec _codec;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly DateTimeOffset _createdAt;

    // Set once the log is open; appends and reads by sequence go through it.
    private volatile NatsLog? _open;
    private volatile bool _caughtUp;

    public LiveSource(NatsLogOptions options, int snapshotEvery, ScenarioDefinition scenario, EventHub hub, LogApplier applier, SkippedSequences skipped, TimeProvider time, ILogger log)
    {
        (_hub, _applier, _skipped, _time) = (hub, applier, skipped, time);
        _log = log.ForContext<LiveSource>();
        _connector = new LogConnector(options, time, log);
        _snapshots = new SnapshotWriter(snapshotEvery, log);
        _codec = new LogMessageCodec(scenario.CustomEvents);
        _createdAt = time.GetUtcNow();
        Options = options;
    }

    public NatsLogOptions Options { get; }

    /// <summary>For the hub's hold: the newest id a Last-Event-ID may name and still be held here (read without a lock).</summary>
    public long HoldHorizon() => _applier.Applied + HoldSlack;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _hub.Unavailable(CatchingUp);
        var open = await _connector.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _open = open.Log;
            long from = await StartAsync(open, cancellationToken).ConfigureAwait(false);
            long target = open.Stream.LastSequence;
            _snapshots.Start(open.Snapshots, cancellationToken);
            _log.Information("Reading {Subject} from sequence {From}; caught up once sequence {Target} is applied", Options.Subject, from, target);
            CatchUpIfThere(target);
            await foreach (var record in open.Log.ReadFromAsync(from, cancellationToken).ConfigureAwait(false))
            {
                _applier.Apply(_codec.Decode(record.Sequence, record.Payload), Due(record), replay: !_caughtUp);
                CatchUpIfThere(target);
                if (_snapshots.IsDue(record.Sequence) && _hub.Board() is { Closed: false } board)
                {
                    _snapshots.Offer(new BoardSnapshot(record.Sequence, new StoredBoard(board.LastEventId, board.Flights).ToJson()));
                }
            }
        }
        finally
        {
            _open = null;
            await _snapshots.DisposeAsync().ConfigureAwait(false);
            await open.Log.DisposeAsync().ConfigureAwait(false);
        }
    }

    public SourceHealth Health()
    {
        var status = _open?.Status ?? new LogStatus(Reachability.Unreachable, _createdAt);
        double? unreachable = status.Reachability == Reachability.Unreachable ? Math.Max(0, (_time.GetUtcNow() - status.Since).TotalSeconds) : null;
        var condition = !_caughtUp ? SourceCondition.CatchingUp : unreachable is null ? SourceCondition.Ready : SourceCondition.Degraded;
        return new SourceHealth(condition, _applier.Applied, unreachable);
    }

    public Task<long> AppendAsync(ReadOnlyMemory<byte> body, string? messageId, CancellationToken cancellationToken) =>
        (_open ?? throw NotOpen()).AppendAsync(body, messageId, cancellationToken);

    /// <summary>Fails at once while the log is unreachable, rather than after the client's timeout: a resume then gets its snapshot without waiting.</summary>
    public Task<LogRecord?> GetAsync(long sequence, CancellationToken cancellationToken) => _open is { } open
        ? open.Status.Reachability == Reachability.Reachable ? open.GetAsync(sequence, cancellationToken) : throw new LogUnavailableException($"the log at {Options.DisplayUrl} is unreachable")
        : throw NotOpen();

    private LogUnavailableException NotOpen() => new($"the log at {Options.DisplayUrl} is not open yet");

    /// <summary>
    /// Where reading begins: the first message when the stream still holds them all, else after the
    /// newest stored board (which the hub starts from). Returns the first sequence to read.
    /// </summary>
    private async Task<long> StartAsync(OpenLog open, CancellationToken cancellationToken)
    {
        long first = open.Stream.FirstSequence;
        if (first <= 1)
        {
            return 1;
        }

        BoardSnapshot? snapshot = null;
        try
        {
            snapshot = await open.Snapshots.GetNewestAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (LogUnavailableException ex)
        {
            _log.Warning("{Reason}", ex.Message);
        }

        var (board, problem) = snapshot is null ? ((StoredBoard?)null, "there is none") : StoredBoard.Parse(snapshot.BoardJson);
        if (snapshot is not null && board is not null && board.LastEventId > snapshot.Sequence)
        {
            // Ids are sequences: a board as of an event after the message it was stored at was not written by a replica.
            problem = $"the newest, at sequence {snapshot.Sequence}, claims event {board.LastEventId}, which comes after it";
            board = null;
        }

        if (snapshot is not null && board is not null && snapshot.Sequence >= first - 1)
        {
            _hub.Restore(board.Flights, board.LastEventId);
            _applier.StartAfter(snapshot.Sequence);
            _skipped.BeginAfter(snapshot.Sequence);
            _log.Information(
                "The log begins at sequence {First}: starting from the board stored at sequence {Sequence} ({Flights} flights, event {EventId})",
                first, snapshot.Sequence, board.Flights.Count, board.LastEventId);
            return snapshot.Sequence + 1;
        }

        _log.Warning(
            "The log begins at sequence {First} and no stored board reaches it ({Problem}): starting from the scenario's flights there; the board may differ from the other replicas' until the next reset",
            first, problem ?? $"the newest is at sequence {snapshot!.Sequence}");
        // The events before the log's first are gone: a Last-Event-ID among them gets a snapshot, not a resume
        // that would skip them silently.
        _hub.Rewind(first - 1);
        _applier.StartAfter(first - 1);
        _skipped.BeginAfter(first - 1);
        return first;
    }

    private void CatchUpIfThere(long target)
    {
        if (!_caughtUp && _applier.Applied >= target)
        {
            _caughtUp = true;
            _hub.Unavailable(null);
            _log.Information("Caught up with the log at sequence {Sequence}: serving streams", _applier.Applied);
        }
    }

    /// <summary>When the log stored the message, as a timestamp of this process's clock: a live event's latency counts from it.</summary>
    private long Due(LogRecord record)
    {
        long now = _time.GetTimestamp();
        if (record.Stored is not { } stored)
        {
            return now;
        }

        double age = Math.Max(0, (_time.GetUtcNow() - stored).TotalSeconds);
        return now - (long)(age * _time.TimestampFrequency);
    }
}
