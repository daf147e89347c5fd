using System.Net;

namespace SseFlights.Http.Listener;

/// <summary>
/// What an open event stream no longer needs of its request's and response's heads. The managed
/// HttpListener keeps both header collections for the connection's whole life (hashtables, lists
/// and strings: about 2.5 KB per stream) though nothing reads them once the response's head is out,
/// except two answers the listener asks again when the response ends: whether the request allows
/// keep-alive, which <see cref="HttpListenerRequest.KeepAlive"/> caches once asked, and the
/// response's Connection header, which is kept. Both collections stay usable, only empty.
/// </summary>
internal static class HeaderMemory
{
    private const string Connection = "Connection";

    /// <summary>Once the stream has read all it needs from the request's headers.</summary>
    public static void Release(HttpListenerRequest request)
    {
        _ = request.KeepAlive;
        request.Headers.Clear();
    }

    /// <summary>Once the response's head has been sent.</summary>
    public static void Release(HttpListenerResponse response)
    {
        string? connection = response.Headers[Connection];
        response.Headers.Clear();
        if (connection is not null)
        {
            response.Headers[Connection] = connection;
        }
    }
}
