using System.Net;
using SseFlights.Delivery;

namespace SseFlights.Http.Listener;

/// <summary>The body an event stream writes to: straight to the connection where this runtime allows it, else the listener's own.</summary>
internal static class ResponseBodies
{
    public static StreamBody Open(HttpListenerResponse response, ListenerInternals internals) =>
        internals.WritePath == WritePath.Direct ? new DirectChunkedBody(response, internals) : new ListenerStreamBody(response);
}
