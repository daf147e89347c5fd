using System.Text;
using SseFlights.Delivery;
using SseFlights.Hub;
using SseFlights.Scenario;
using SseFlights.Sse;

namespace SseFlights.Tests.Unit;

public class WireFormatterTests
{
    [TestCase(0, "event: e\ndata: a\ndata: b\nid: 3\n\n")]
    [TestCase(1, "event: e\r\ndata: a\r\ndata: b\r\nid: 3\r\n\r\n")]
    [TestCase(2, "event: e\rdata: a\rdata: b\rid: 3\r\r")]
    public void FormatEvent_LineEnding_EndsEveryLineWithIt(int ending, string expected) =>
        Assert.That(Encoding.UTF8.GetString(SseFormatter.FormatEvent("e", "a\nb", 3, (LineEnding)ending)), Is.EqualTo(expected));

    [TestCase(0, "retry: 500\n\n")]
    [TestCase(1, "retry: 500\r\n\r\n")]
    [TestCase(2, "retry: 500\r\r")]
    public void FormatRetry_LineEnding_EndsEveryLineWithIt(int ending, string expected) =>
        Assert.That(Encoding.UTF8.GetString(SseFormatter.FormatRetry(500, (LineEnding)ending)), Is.EqualTo(expected));

    [Test]
    public void FormatComment_MultiLineText_OneColonLinePerLine() =>
        Assert.That(Encoding.UTF8.GetString(SseFormatter.FormatComment("one\r\ntwo\n\nfour", LineEnding.Crlf)), Is.EqualTo(": one\r\n: two\r\n:\r\n: four\r\n\r\n"));

    [Test]
    public void Encode_Comment_IsALiveOnlyCommentFrameWithNoId()
    {
        var frame = new FrameEncoder(LineEnding.Lf).LiveOnly(new TimelineEntry(0, 1, EntryKind.Comment, "", "hi", null), 0);
        Assert.That((frame.Id, frame.Kind, Encoding.UTF8.GetString(frame.Bytes)), Is.EqualTo((0L, FrameKind.Comment, ": hi\n\n")));
    }

    [Test]
    public void Encode_Retry_IsARetryFrame()
    {
        var frame = new FrameEncoder(LineEnding.Cr).LiveOnly(new TimelineEntry(0, 1, EntryKind.Retry, "", "250", null), 0);
        Assert.That((frame.Id, frame.Kind, Encoding.UTF8.GetString(frame.Bytes)), Is.EqualTo((0L, FrameKind.Retry, "retry: 250\r\r")));
    }

    [Test]
    public void Encode_Raw_IsTheExactCharactersAsUtf8WhateverTheLineEnding()
    {
        var split = new FrameSplit(1, 20);
        var frame = new FrameEncoder(LineEnding.Crlf).LiveOnly(new TimelineEntry(0, 1, EntryKind.Raw, "", "data: é\rdata:b\n", null) { Split = split }, 0);
        Assert.That((frame.Id, frame.Kind, frame.Split, frame.Bytes), Is.EqualTo((0L, FrameKind.Raw, split, "data: \u00e9\rdata:b\n"u8.ToArray())));
    }
}
