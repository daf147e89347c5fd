using SseFlights.Cli;
using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using SseFlights.Scenario;

namespace SseFlights.Record;

/// <summary>
/// Opens an SSE endpoint and collects its events, each stamped with the seconds since the
/// response arrived, until the stream ends or a stop condition holds.
/// </summary>
internal sealed class StreamRecorder(HttpClient http, TimeProvider time)
{
    private readonly List<RecordedEvent> _events = [];
    private int _received;

    /// <summary>Events parsed so far (a test watches this to move a fake clock in step).</summary>
    public int Received => Volatile.Read(ref _received);

    public IReadOnlyList<RecordedEvent> Events => _events;

    /// <summary>
    /// Records until a stop; throws <see cref="RecordException"/> when the endpoint gives no stream.
    /// <paramref name="countEvent"/> says whether an event counts toward <c>--events</c>;
    /// <paramref name="opened"/> runs once the endpoint has answered with a stream.
    /// </summary>
    public async Task<RecordingEnd> RecordAsync(RecordOptions options, Func<RecordedEvent, bool> countEvent, Action opened, CancellationToken interrupted)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, options.Url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        foreach (var (name, value) in options.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                throw new RecordException($"--header '{name}' cannot be sent on a GET request");
            }
        }

        using var response = await ConnectAsync(request, options.Url, interrupted).ConfigureAwait(false);
        long start = time.GetTimestamp();
        CheckIsStream(response, options.Url);
        opened();

        using var duration = options.DurationSeconds is { } seconds ? new CancellationTokenSource(TimeSpan.FromSeconds(seconds), time) : new CancellationTokenSource();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(interrupted, duration.Token);
        int counted = 0;
        try
        {
            // The body, not the parser, sees the stop: events already received are still recorded.
            await using var body = new ArrivedOnlyBody(await response.Content.ReadAsStreamAsync(stop.Token).ConfigureAwait(false), stop.Token);
            await foreach (var item in SseParser.Create(body).EnumerateAsync(CancellationToken.None).ConfigureAwait(false))
            {
                // Milliseconds are what a scenario's "at" keeps; finer would only record jitter.
                double at = Math.Round(time.GetElapsedTime(start).TotalSeconds, 3);
                var recorded = new RecordedEvent(at, item.EventType, item.Data);
                _events.Add(recorded);
                Interlocked.Increment(ref _received);
                if (item.EventType == EventNames.Close)
                {
                    return RecordingEnd.Closed;
                }

                if (countEvent(recorded) && ++counted >= options.MaxEvents)
                {
                    return RecordingEnd.EventCount;
                }
            }

            return !stop.IsCancellationRequested ? RecordingEnd.StreamEnded
                : interrupted.IsCancellationRequested ? RecordingEnd.Interrupted
                : RecordingEnd.Duration;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return interrupted.IsCancellationRequested ? RecordingEnd.Interrupted : RecordingEnd.Duration;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            return RecordingEnd.StreamBroke;
        }
    }

    private async Task<HttpResponseMessage> ConnectAsync(HttpRequestMessage request, Uri url, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new RecordException($"cannot connect to {url}: {ex.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RecordException($"cannot connect to {url}: no answer in time");
        }
    }

    private static void CheckIsStream(HttpResponseMessage response, Uri url)
    {
        int status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            throw new RecordException($"{url} answered 204 No Content: the stream has ended (or has not begun), so there is nothing to record");
        }

        if (status is < 200 or > 299)
        {
            throw new RecordException($"{url} answered {status} {response.ReasonPhrase}; an event stream answers 200");
        }

        string? type = response.Content.Headers.ContentType?.MediaType;
        if (!string.Equals(type, "text/event-stream", StringComparison.OrdinalIgnoreCase))
        {
            throw new RecordException($"{url} answered with Content-Type {response.Content.Headers.ContentType?.ToString() ?? "(none)"}; an event stream is text/event-stream");
        }
    }
}
