using Microsoft.Extensions.Time.Testing;
using SseFlights.Http;

namespace SseFlights.Tests.Unit;

/// <summary>
/// The request log without sockets, on a fake clock: every request for /events numbered per client key,
/// with the gap since the key's previous request (its reconnection delay), the newest kept, bounded.
/// </summary>
public class RequestLogTests
{
    private static readonly Func<IReadOnlyDictionary<string, string>> NoHeaders = () => new Dictionary<string, string>();

    [Test]
    public void Record_NumbersEachKeyFromOne_AndTimesTheGapSinceThatKeysPreviousRequest()
    {
        var time = new FakeTimeProvider();
        var log = new RequestLog(time, 100);

        var first = log.Record("a", "GET", "/events?client=a", NoHeaders, null);
        time.Advance(TimeSpan.FromMilliseconds(250));
        var other = log.Record(null, "GET", "/events", NoHeaders, null);
        time.Advance(TimeSpan.FromMilliseconds(3000));
        var second = log.Record("a", "POST", "/events?client=a", NoHeaders, "{}");

        Assert.That(new[] { (first.Number, first.SincePreviousMs), (other.Number, other.SincePreviousMs), (second.Number, second.SincePreviousMs) },
            Is.EqualTo(new[] { (1, (double?)null), (1, null), (2, 3250.0) }));
        Assert.That(second.ReceivedAt, Is.EqualTo(time.GetUtcNow().UtcDateTime));
        Assert.That(log.Entries().Select(e => (e.Client, e.Method, e.Body)), Is.EqualTo(new[] { ("a", "GET", (string?)null), (null, "GET", null), ("a", "POST", "{}") }));
        Assert.That(log.Entries("a").Select(e => e.Number), Is.EqualTo(new[] { 1, 2 }));
    }

    [Test]
    public void Record_KeepsOnlyTheNewestCapacity_OldestFirst()
    {
        var log = new RequestLog(new FakeTimeProvider(), 3);
        for (int i = 0; i < 5; i++)
        {
            log.Record("k", "GET", $"/events?n={i}", NoHeaders, null);
        }

        Assert.That(log.Entries().Select(e => (e.Number, e.Target)), Is.EqualTo(new[] { (3, "/events?n=2"), (4, "/events?n=3"), (5, "/events?n=4") }));
    }

    [Test]
    public void Record_AKitRunsLog_KeepsItsOwnSmallerBound()
    {
        var log = new RequestLog(new FakeTimeProvider(), SseFlights.Kit.KitRuns.RunLogCapacity, SseFlights.Kit.KitRuns.RunLogMaxChars);
        string body = new('b', 64 * 1024);
        for (int i = 0; i < 10; i++)
        {
            log.Record("k", "POST", "/events", NoHeaders, body);
        }

        for (int i = 0; i < 200; i++)
        {
            log.Record("k", "GET", "/events", NoHeaders, null);
        }

        Assert.That(log.Entries().Select(e => e.Number), Is.EqualTo(Enumerable.Range(111, 100)), "the newest hundred");
        log.Record("k", "POST", "/events", NoHeaders, body);
        log.Record("k", "POST", "/events", NoHeaders, body);
        log.Record("k", "POST", "/events", NoHeaders, body);
        log.Record("k", "POST", "/events", NoHeaders, body);
        Assert.That(log.Entries().Sum(e => e.Size), Is.LessThanOrEqualTo(SseFlights.Kit.KitRuns.RunLogMaxChars));
        Assert.That(log.Entries().Select(e => e.Number).Where(n => n > 210), Is.EqualTo(new[] { 212, 213, 214 }), "three 64 KiB bodies fit in 256 Ki characters, not four");
    }

    [Test]
    public void Record_BodiesBeyondTheCharacterBound_PushTheOldestOut()
    {
        var log = new RequestLog(new FakeTimeProvider(), RequestLog.DefaultCapacity);
        string body = new('b', 64 * 1024);
        // An entry counts its body and its target (no headers here): 511 of them fit in 32 Mi characters.
        int fit = (int)(RequestLog.MaxChars / (body.Length + "/events".Length));
        for (int i = 0; i < fit + 10; i++)
        {
            log.Record("k", "POST", "/events", NoHeaders, body);
        }

        Assert.That(fit, Is.EqualTo(511));
        Assert.That(log.Entries().Select(e => e.Number), Is.EqualTo(Enumerable.Range(11, fit)), "the newest that fit, the ten oldest pushed out");
    }

    [Test]
    public void Record_WithoutCapacity_NumbersButKeepsNothing_NorReadsTheHeaders()
    {
        var log = new RequestLog(new FakeTimeProvider(), 0);

        var entry = log.Record("k", "GET", "/events", () => throw new AssertionException("the headers were read"), null);

        Assert.That((entry.Number, log.Entries().Count), Is.EqualTo((1, 0)));
    }

    [Test]
    public void Record_AKeyBeyondTheKeysTracked_GetsNumberZero()
    {
        var log = new RequestLog(new FakeTimeProvider(), 0);
        for (int i = 0; i < RequestLog.MaxKeys; i++)
        {
            log.Record($"k{i}", "GET", "/events", NoHeaders, null);
        }

        Assert.That((log.Record("one-too-many", "GET", "/events", NoHeaders, null).Number, log.Record("k7", "GET", "/events", NoHeaders, null).Number), Is.EqualTo((0, 2)));
    }

    [Test]
    public void Clear_ForgetsTheRequests_ButTheNumbersGoOn()
    {
        var log = new RequestLog(new FakeTimeProvider(), 10);
        log.Record("k", "GET", "/events", NoHeaders, null);
        log.Record("k", "GET", "/events", NoHeaders, null);

        Assert.That(log.Clear(), Is.EqualTo(2));
        Assert.That((log.Entries().Count, log.Record("k", "GET", "/events", NoHeaders, null).Number), Is.EqualTo((0, 3)));
    }
}
