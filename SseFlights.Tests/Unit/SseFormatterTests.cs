using System.Net.ServerSentEvents;
using System.Text;
using SseFormatter = SseFlights.Sse.SseFormatter;

namespace SseFlights.Tests.Unit;

public class SseFormatterTests
{
    private static string Event(string name, string data, long id) => Encoding.UTF8.GetString(SseFormatter.FormatEvent(name, data, id));

    [Test]
    public void FormatEvent_SingleLine_WritesEventDataIdAndBlankLine() =>
        Assert.That(Event("flightStateUpdate", "{\"flight\":\"I768\"}", 7), Is.EqualTo("event: flightStateUpdate\ndata: {\"flight\":\"I768\"}\nid: 7\n\n"));

    [Test]
    public void FormatEvent_MultiLineData_WritesOneDataLinePerLineForEveryLineEnding() =>
        Assert.That(Event("gateChange", "a\r\nb\rc\nd", 1), Is.EqualTo("event: gateChange\ndata: a\ndata: b\ndata: c\ndata: d\nid: 1\n\n"));

    [Test]
    public void FormatEvent_EmptyData_StillWritesADataLine() =>
        Assert.That(Event("closedConnection", "", 4), Is.EqualTo("event: closedConnection\ndata:\nid: 4\n\n"));

    [Test]
    public void FormatEvent_TrailingNewline_KeepsTheEmptyLastLine() =>
        Assert.That(Event("x", "a\n", 2), Is.EqualTo("event: x\ndata: a\ndata:\nid: 2\n\n"));

    [Test]
    public void FormatEvent_LeadingSpace_IsKeptAfterTheFieldSpace() =>
        Assert.That(Event("x", " a", 2), Is.EqualTo("event: x\ndata:  a\nid: 2\n\n"));

    [TestCase("bad\nname")]
    [TestCase("bad\rname")]
    [TestCase("bad\0name")]
    [TestCase("")]
    public void FormatEvent_NameThatWouldBreakTheFrame_Throws(string name) =>
        Assert.That(() => SseFormatter.FormatEvent(name, "x", 1), Throws.ArgumentException);

    [Test]
    public void FormatRetryAndComment_AreFramesOfTheirOwn()
    {
        Assert.That(Encoding.ASCII.GetString(SseFormatter.FormatRetry(3000)), Is.EqualTo("retry: 3000\n\n"));
        Assert.That(Encoding.ASCII.GetString(SseFormatter.FormatComment("heartbeat")), Is.EqualTo(": heartbeat\n\n"));
        Assert.That(Encoding.ASCII.GetString(SseFormatter.FormatComment("a\nb")), Is.EqualTo(": a\n: b\n\n"));
    }

    [TestCase("plain")]
    [TestCase("two\nlines")]
    [TestCase("crlf\r\nlines\r\n")]
    [TestCase("unicode ✈ Zürich São Paulo 東京 🛬")]
    [TestCase("")]
    [TestCase(": looks like a comment\nid: 99\nevent: fake")]
    public async Task FormatEvent_ParsedByTheFrameworkParser_RoundTripsDataNameAndId(string data)
    {
        byte[] bytes = SseFormatter.FormatEvent("custom", data, 42);
        var items = new List<SseItem<string>>();
        var parser = SseParser.Create(new OneBytePerReadStream(bytes));
        await foreach (var item in parser.EnumerateAsync())
        {
            items.Add(item);
        }

        string expected = data.Replace("\r\n", "\n").Replace('\r', '\n');
        Assert.That(items, Has.Count.EqualTo(1));
        Assert.That(items[0].EventType, Is.EqualTo("custom"));
        Assert.That(items[0].Data, Is.EqualTo(expected));
        Assert.That(items[0].EventId, Is.EqualTo("42"));
    }

    /// <summary>Hands out one byte per read, so the parser meets every possible split.</summary>
    private sealed class OneBytePerReadStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 1));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, 1), cancellationToken);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 1)], cancellationToken);
    }
}
