using System.Net;
using Serilog;

namespace SseFlights.Http.Listener;

/// <summary>
/// A server's one <see cref="HttpListener"/>: started (even while clients are connecting, see
/// <see cref="StartRace"/>), accepting requests, then closed in two steps: first the listening socket
/// only, so open streams can end in order, then everything.
/// </summary>
internal sealed class ListenerHost : IDisposable
{
    private readonly HttpListener _listener;
    private readonly ILogger _log;

    private ListenerHost(HttpListener listener, ILogger log) => (_listener, _log) = (listener, log);

    /// <summary>Starts listening on <paramref name="prefixes"/>, or throws <see cref="ServerStartException"/> with one line for the user.</summary>
    public static ListenerHost Start(IReadOnlyList<string> prefixes, ILogger log)
    {
        int port = ListenerPrefixes.PortOf(prefixes[0]);
        for (int attempt = 1; ; attempt++)
        {
            var listener = new HttpListener { IgnoreWriteExceptions = false };
            try
            {
                foreach (string prefix in prefixes)
                {
                    listener.Prefixes.Add(prefix);
                }

                listener.Start();
                if (attempt > 1)
                {
                    log.Information("Started listening at attempt {Attempt}: clients were connecting while the listener started", attempt);
                }

                return new ListenerHost(listener, log);
            }
            catch (Exception ex) when (StartRace.Lost(ex, attempt))
            {
                // The failed listener is closed for good (HttpListener cannot start twice); a new one tries again.
                log.Debug("A client connected while the listener was starting (attempt {Attempt}); starting again", attempt);
                StartRace.ReleasePort();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Every other way the listener can fail to start (a busy port, a refused prefix, a socket
                // error) is one line for the user, never a stack trace.
                throw new ServerStartException(StartFailures.Describe(ex, port, attempt), ex);
            }
        }
    }

    /// <summary>The next request; throws <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> ends the wait.</summary>
    public Task<HttpListenerContext> AcceptAsync(CancellationToken cancellationToken) =>
        _listener.GetContextAsync().WaitAsync(cancellationToken);

    /// <summary>
    /// Closes the listening socket but keeps open connections: removing a listener's last prefix
    /// closes its socket (Stop or Close would also drop every open stream without a clean end).
    /// </summary>
    public void StopAccepting()
    {
        try
        {
            _listener.Prefixes.Clear();
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
            _log.Warning("Could not stop accepting before ending streams: {Error}", ex.Message);
        }
    }

    public void Dispose() => _listener.Close();
}
