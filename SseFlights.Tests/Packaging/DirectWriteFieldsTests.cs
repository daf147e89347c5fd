using SseFlights.Http.Listener;

namespace SseFlights.Tests.Packaging;

/// <summary>
/// The direct write path's look-up of HttpListener's private fields: a build or runtime that lacks
/// them (trimmed away, renamed, retyped) gets null, and streams fall back instead of crashing.
/// </summary>
public class DirectWriteFieldsTests
{
    [Test]
    public void FindFields_OnTheListenersResponseStream_FindsBoth()
    {
        var fields = ListenerInternals.FindResponseStreamFields(Type.GetType("System.Net.HttpResponseStream, System.Net.HttpListener"));
        Assert.That(fields.HasValue, Is.True);
        Assert.That((fields!.Value.Inner.Name, fields.Value.TrailerSent.Name), Is.EqualTo(("_stream", "_trailer_sent")));
    }

    [Test]
    public void FindFields_WithoutTheType_IsNull() => Assert.That(ListenerInternals.FindResponseStreamFields(null), Is.Null);

    [Test]
    public void FindFields_OnATypeWithoutTheFields_IsNull() => Assert.That(ListenerInternals.FindResponseStreamFields(typeof(MemoryStream)), Is.Null);

    [Test]
    public void FindFields_WhenAFieldChangedType_IsNull() => Assert.That(ListenerInternals.FindResponseStreamFields(typeof(Lookalike)), Is.Null);

    /// <summary>The listener's field names with a changed type, as a future runtime might have them.</summary>
    private sealed class Lookalike(Stream stream, int trailerSent)
    {
        private readonly Stream _stream = stream;
        private readonly int _trailer_sent = trailerSent;

        public override string ToString() => $"{_stream} {_trailer_sent}";
    }
}
