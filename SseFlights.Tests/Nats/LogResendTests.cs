using System.Text;
using SseFlights.Hub;
using SseFlights.Nats;
using SseFlights.Scenario;
using SseFlights.Tests.Unit;

namespace SseFlights.Tests.Nats;

/// <summary>
/// Resuming from an id older than the history, from a log in memory: exactly the events after it, the
/// same bytes the replica sent live, messages that became no event left out; a snapshot (null) when
/// the log no longer holds one or this replica never applied that stretch.
/// </summary>
public class LogResendTests
{
    private static readonly ScenarioDefinition Board = ScenarioLoader.Parse(Encoding.UTF8.GetBytes("""
        {
          "name": "Live",
          "customEvents": ["note"],
          "flights": [ { "flight": "A1", "origin": "Rome", "arrival": "10:10", "state": "" } ],
          "timeline": []
        }
        """), "live.json");

    private static readonly string[] Messages =
    [
        """{"event":"note","data":"one"}""",
        """{"comment":"no event"}""",
        """{"event":"flightRemoval","data":{"flight":"B2"}}""",
        """{"event":"flightStateUpdate","data":{"flight":"A1","state":"landed"}}""",
        """{"action":"reset"}""",
        """{"event":"nope"}""",
        """{"event":"note","data":"two\nlines"}""",
        """{"event":"note","data":"three"}""",
        """{"event":"note","data":"four"}""",
    ];

    /// <summary>A log in memory: messages from <see cref="First"/> on (the older ones discarded).</summary>
    private sealed class MemoryLog(string[] bodies) : ILogReader
    {
        public long First { get; set; } = 1;

        public int Reads { get; private set; }

        public Task<LogRecord?> GetAsync(long sequence, CancellationToken cancellationToken)
        {
            Reads++;
            return Task.FromResult(sequence >= First && sequence <= bodies.Length ? new LogRecord(sequence, Encoding.UTF8.GetBytes(bodies[sequence - 1])) : null);
        }
    }

    /// <summary>The same log, each read waiting for <see cref="Open"/>: counts the reads waiting at once.</summary>
    private sealed class GatedLog(string[] bodies) : ILogReader
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _waiting;

        public int Reads => Volatile.Read(ref _reads);

        public int MostWaiting { get; private set; }

        private int _reads;

        public void Open() => _open.TrySetResult();

        public async Task<LogRecord?> GetAsync(long sequence, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            int waiting = Interlocked.Increment(ref _waiting);
            lock (_open)
            {
                MostWaiting = Math.Max(MostWaiting, waiting);
            }

            await _open.Task.WaitAsync(cancellationToken);
            Interlocked.Decrement(ref _waiting);
            return new LogRecord(sequence, Encoding.UTF8.GetBytes(bodies[sequence - 1]));
        }
    }

    /// <summary>A replica that applied every message live (history of 2), with one client that saw them all.</summary>
    private static (EventHub Hub, FakeSubscriber Watcher, SkippedSequences Skipped) Replica()
    {
        var hub = new EventHub(Board, 2, 100, NoObserver.Instance, Serilog.Core.Logger.None);
        var skipped = new SkippedSequences(100);
        var applier = new LogApplier(hub, skipped, new AppliedOutcomes(16), new NullObserver(), Serilog.Core.Logger.None);
        var watcher = new FakeSubscriber(1);
        hub.Join(watcher, null);
        var codec = new LogMessageCodec(Board.CustomEvents);
        for (int i = 0; i < Messages.Length; i++)
        {
            applier.Apply(codec.Decode(i + 1, Encoding.UTF8.GetBytes(Messages[i])), due: 0, replay: false);
        }

        return (hub, watcher, skipped);
    }

    private sealed class NullObserver : Sources.ILogObserver
    {
        public void MessageRefused()
        {
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task FetchAsync_OlderThanTheHistory_TheEventsAfterItWithTheBytesSentLive_AndTheJoinResumesExactly(CancellationToken cancellationToken)
    {
        var (hub, watcher, skipped) = Replica();
        var log = new MemoryLog(Messages);
        var resend = new LogResend(hub, Board, log, skipped, Serilog.Core.Logger.None);

        var older = await resend.FetchAsync("1", cancellationToken);
        var plan = hub.Join(new FakeSubscriber(2), "1", older);

        Assert.That(hub.HistoryFloor(), Is.EqualTo(7), "the history holds 8 and 9");
        Assert.That((older!.After, older.UpTo, older.Frames.Select(f => f.Id)), Is.EqualTo((1L, 7L, new long[] { 4, 5, 7 })), "3 was refused against the board, 6 is no event");
        Assert.That(plan.Kind, Is.EqualTo(JoinKind.Resume));
        Assert.That(plan.Frames.Select(f => Encoding.UTF8.GetString(f.Bytes)), Is.EqualTo(watcher.Frames.Where(f => f.Id > 1).Select(f => Encoding.UTF8.GetString(f.Bytes))));
        Assert.That(plan.Frames.Select(f => f.Id), Is.EqualTo(new long[] { 4, 5, 7, 8, 9 }));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task FetchAsync_ClientsResumingFromTheSameIdAtOnce_ShareOneReadOfTheLog(CancellationToken cancellationToken)
    {
        var (hub, _, skipped) = Replica();
        var log = new GatedLog(Messages);
        var resend = new LogResend(hub, Board, log, skipped, Serilog.Core.Logger.None);

        var fetches = Enumerable.Range(0, 50).Select(_ => resend.FetchAsync("1", cancellationToken)).ToList();
        log.Open();
        var results = await Task.WhenAll(fetches);

        Assert.That(results.Distinct().Count(), Is.EqualTo(1), "one read, its result shared");
        Assert.That((results[0]!.Frames.Select(f => f.Id), log.Reads), Is.EqualTo((new long[] { 4, 5, 7 }, 6)), "messages 2 to 7, read once");
        var later = await resend.FetchAsync("1", cancellationToken);
        Assert.That((ReferenceEquals(later, results[0]), log.Reads), Is.EqualTo((false, 12)), "a read done is not kept: a later resume reads again");
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task FetchAsync_ManyResumesFromDifferentIds_ReadTheLogAtMostFourAtATime(CancellationToken cancellationToken)
    {
        var (hub, _, skipped) = Replica();
        var log = new GatedLog(Messages);
        var resend = new LogResend(hub, Board, log, skipped, Serilog.Core.Logger.None);

        var fetches = new[] { "1", "2", "3", "4", "5", "6" }.Select(id => resend.FetchAsync(id, cancellationToken)).ToList();
        log.Open();
        var results = await Task.WhenAll(fetches);

        Assert.That(log.MostWaiting, Is.EqualTo(LogResend.MaxConcurrentReads));
        Assert.That(results.Select(r => r!.After), Is.EqualTo(new long[] { 1, 2, 3, 4, 5, 6 }));
    }

    [TestCase("7", "the history holds what comes after 7")]
    [TestCase("9", "up to date")]
    [TestCase("abc", "not an id")]
    [TestCase(null, "no id")]
    [CancelAfter(10_000)]
    public async Task FetchAsync_NothingToReadBack_IsNullWithoutReadingTheLog(string? lastEventId, string why, CancellationToken cancellationToken)
    {
        var (hub, _, skipped) = Replica();
        var log = new MemoryLog(Messages);

        var older = await new LogResend(hub, Board, log, skipped, Serilog.Core.Logger.None).FetchAsync(lastEventId, cancellationToken);

        Assert.That((older, log.Reads), Is.EqualTo(((OlderEvents?)null, 0)), why);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task FetchAsync_TheLogNoLongerHoldsTheFirstOne_IsNull_SoTheJoinIsASnapshot(CancellationToken cancellationToken)
    {
        var (hub, _, skipped) = Replica();
        var log = new MemoryLog(Messages) { First = 3 };

        var older = await new LogResend(hub, Board, log, skipped, Serilog.Core.Logger.None).FetchAsync("1", cancellationToken);

        Assert.That(older, Is.Null);
        Assert.That(hub.Join(new FakeSubscriber(2), "1", older).Kind, Is.EqualTo(JoinKind.Snapshot));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task FetchAsync_BeforeWhereThisReplicaBegan_IsNull(CancellationToken cancellationToken)
    {
        var (hub, _, skipped) = Replica();
        skipped.BeginAfter(4);

        var older = await new LogResend(hub, Board, new MemoryLog(Messages), skipped, Serilog.Core.Logger.None).FetchAsync("3", cancellationToken);

        Assert.That(older, Is.Null, "this replica cannot tell what 4 became");
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task FetchAsync_FurtherBehindThanItReadsBack_IsNull(CancellationToken cancellationToken)
    {
        var (hub, _, skipped) = Replica();

        var older = await new LogResend(hub, Board, new MemoryLog(Messages), skipped, Serilog.Core.Logger.None, maxMessages: 5).FetchAsync("1", cancellationToken);

        Assert.That(older, Is.Null);
    }

    [Test]
    public void StoredBoard_RoundTrips_AndRefusesABoardItCannotTrust()
    {
        var board = new StoredBoard(42, [new Flight("A1", "Rome", "10:10", "landed"), new Flight("K3", "Oslo", "11:00", "")]);

        Assert.That(board.ToJson(), Is.EqualTo("""{"lastEventId":42,"flights":[{"flight":"A1","origin":"Rome","arrival":"10:10","state":"landed"},{"flight":"K3","origin":"Oslo","arrival":"11:00","state":""}]}"""));
        var (back, problem) = StoredBoard.Parse(board.ToJson());
        Assert.That((back!.LastEventId, back.Flights, problem), Is.EqualTo((42L, board.Flights, (string?)null)));
        Assert.That(StoredBoard.Parse("""{"lastEventId":1,"flights":[{"flight":"A1","origin":"R","arrival":"1","state":""},{"flight":"A1","origin":"R","arrival":"1","state":""}]}""").Problem, Is.EqualTo("a flight code appears twice"));
        Assert.That(StoredBoard.Parse("""{"lastEventId":1,"flights":[{"flight":"A1","origin":"R","state":""}]}""").Problem, Is.EqualTo("a flight without flight, origin, arrival or state"));
        Assert.That(StoredBoard.Parse("""{"flights":"no"}""").Problem, Does.StartWith("not a stored board: "));
    }
}
