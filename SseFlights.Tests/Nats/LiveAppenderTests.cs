using System.Text;
using Microsoft.Extensions.Time.Testing;
using SseFlights.Cli;
using SseFlights.Nats;
using SseFlights.Scenario;
using SseFlights.Sources;

namespace SseFlights.Tests.Nats;

/// <summary>
/// The control API's way into a live log, without NATS: what it appends, and what it answers once its
/// own reader has applied the entry (an event with its sequence, refused because the board changed
/// meanwhile, after the close), or when the log cannot take it or does not give it back in time.
/// </summary>
public class LiveAppenderTests
{
    private static readonly NatsLogOptions Options = new("nats://127.0.0.1:4222", "board", null, 100);

    private static readonly TimelineEntry Landed = new(0, 0, EntryKind.StateUpdate, "flightStateUpdate", """{"flight":"A1","state":"landed"}""", new FlightChange("A1", null, null, "landed"));

    /// <summary>A log that gives each append the next sequence, or fails them all.</summary>
    private sealed class FakeLog(long next, string? failure = null) : ILogAppender
    {
        public List<string> Appended { get; } = [];

        public Task<long> AppendAsync(ReadOnlyMemory<byte> body, string? messageId, CancellationToken cancellationToken)
        {
            if (failure is not null)
            {
                throw new LogUnavailableException(failure);
            }

            Appended.Add(Encoding.UTF8.GetString(body.Span));
            return Task.FromResult(next++);
        }
    }

    [TestCase("Event", null, "Event")]
    [TestCase("Applied", null, "Applied")]
    [TestCase("Refused", "sequence 7:1:34: data.flight: flight 'A1' is not on the board at that point (on the board then: B2)", "Refused")]
    [TestCase("AfterClose", "the board has closed", "AfterClose")]
    [CancelAfter(10_000)]
    public async Task AppendAsync_TheEntryComesBack_AnswersWithWhatItBecameAndItsSequence(string became, string? reason, string answer, CancellationToken cancellationToken)
    {
        var applied = Enum.Parse<LogOutcomeKind>(became);
        var expected = Enum.Parse<LiveAppendOutcome>(answer);
        var log = new FakeLog(7);
        var outcomes = new AppliedOutcomes(16);
        var appender = new LiveAppender(log, outcomes, Options, new FakeTimeProvider(), Serilog.Core.Logger.None);

        var appending = appender.AppendAsync(Landed, cancellationToken);
        outcomes.Record(new LogOutcome(7, applied, reason));

        Assert.That(await appending, Is.EqualTo(new LiveAppend(expected, 7, reason)));
        Assert.That(log.Appended, Is.EqualTo(new[] { """{"event":"flightStateUpdate","data":{"flight":"A1","state":"landed"}}""" }), "the message sseflights publish would write");
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task AppendAsync_TheLogCannotTakeIt_IsUnavailableWithTheReason(CancellationToken cancellationToken)
    {
        var appender = new LiveAppender(new FakeLog(1, "publishing to board.events at nats://127.0.0.1:4222 failed: the server did not answer"), new AppliedOutcomes(16), Options, new FakeTimeProvider(), Serilog.Core.Logger.None);

        var appended = await appender.AppendAsync(Landed, cancellationToken);

        Assert.That(appended, Is.EqualTo(new LiveAppend(LiveAppendOutcome.Unavailable, 0, "publishing to board.events at nats://127.0.0.1:4222 failed: the server did not answer")));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task AppendAsync_NotReadBackInTime_IsUnavailable_SayingItWasAppended(CancellationToken cancellationToken)
    {
        var time = new FakeTimeProvider();
        var appender = new LiveAppender(new FakeLog(12), new AppliedOutcomes(16), Options, time, Serilog.Core.Logger.None);

        // The fake log answers at once, so the wait (and its timer on the fake clock) has begun when the call returns.
        var appending = appender.AppendAsync(Landed, cancellationToken);
        Assert.That(appending.IsCompleted, Is.False);
        time.Advance(LiveAppender.ComeBackTimeout);

        Assert.That(await appending, Is.EqualTo(new LiveAppend(LiveAppendOutcome.Unavailable, 12, "appended as sequence 12, but not yet read back from the log by this replica")));
        Assert.That(appender.Describe, Is.EqualTo("the stream board at nats://127.0.0.1:4222"));
    }
}
