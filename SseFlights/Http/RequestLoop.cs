using System.Net;
using Serilog;
using SseFlights.Http.Listener;

namespace SseFlights.Http;

/// <summary>
/// The accept loop: each request is handed to the router on its own (the loop never waits for one),
/// tracked until it ends so a shutdown can wait for it, and answered 500 without details if it fails
/// unexpectedly. A request a shutdown interrupts is closed unanswered, so its client tries elsewhere.
/// </summary>
/// <param name="handle">Answers one request (the board's <see cref="Router"/>, or the kit's), given the server's lifetime.</param>
internal sealed class RequestLoop(Func<HttpListenerContext, CancellationToken, Task> handle, ListenerInternals internals, ILogger log)
{
    private readonly ILogger _log = log.ForContext<RequestLoop>();
    private readonly RequestTracker _requests = new();
    private long _nextRequest;

    /// <summary>Accepts until <paramref name="cancellationToken"/> ends it or the listener closes; every request gets <paramref name="lifetime"/>.</summary>
    public async Task RunAsync(ListenerHost listener, CancellationToken lifetime, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                _log.Information("Stopped accepting: {Reason}", ex.Message);
                return;
            }

            Serve(context, lifetime);
        }
    }

    /// <summary>Answers a request accepted here or by another listener (the kit hands each case's run its own), tracked the same way.</summary>
    public void Serve(HttpListenerContext context, CancellationToken lifetime) =>
        _requests.Track(HandleAsync(Interlocked.Increment(ref _nextRequest), context, lifetime));

    /// <summary>Completes when every request in flight now has ended.</summary>
    public Task WhenAllEndedAsync() => _requests.WhenAllEndedAsync();

    private async Task HandleAsync(long id, HttpListenerContext context, CancellationToken lifetime)
    {
        // Leave the accept loop at once; the request runs on its own.
        await Task.Yield();
        try
        {
            await handle(context, lifetime).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException)
        {
            _log.Information("Request {RequestId} ended early: the client went away ({Error})", id, ex.Message);
            context.Response.Abort();
        }
        catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
        {
            // Shutdown ended a wait (a scripted answer's delay): closed unanswered, so the client tries elsewhere.
            internals.CloseUnanswered(context);
        }
        catch (Exception ex)
        {
            _log.Error(ex, "Request {RequestId} {Method} {Path} failed", id, context.Request.HttpMethod, context.Request.Url?.AbsolutePath);
            TryAnswerError(context);
        }
    }

    private static void TryAnswerError(HttpListenerContext context)
    {
        try
        {
            // No details: a stack trace or a path is never sent to a client.
            context.Response.StatusCode = 500;
            context.Response.ContentLength64 = 0;
            context.Response.Close();
        }
        catch (Exception ex) when (ex is InvalidOperationException or HttpListenerException or IOException or ObjectDisposedException)
        {
            context.Response.Abort();
        }
    }
}
