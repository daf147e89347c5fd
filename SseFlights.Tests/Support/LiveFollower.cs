using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;

namespace SseFlights.Tests.Support;

/// <summary>One frame with an id as a client received it, and on which of its connections.</summary>
internal sealed record ReceivedFrame(string Type, long Id, string Data, int Connection);

/// <summary>
/// A client that behaves like EventSource on a live board: follows /events, reconnects with its
/// Last-Event-ID whenever the stream ends or breaks (at once; after 100 ms when it is refused or the
/// proxy has no replica to give), and stops on 204. It records every frame with an id, for a check
/// against the log's model afterwards (<see cref="LiveFollowerCheck"/>), and keeps its own board.
/// </summary>
internal sealed class LiveFollower(HttpClient http)
{
    private readonly List<Dictionary<string, string>> _board = [];

    public List<ReceivedFrame> Received { get; } = [];

    public string? LastEventId { get; private set; }

    public int Connections { get; private set; }

    /// <summary>Answers other than 200 and 204 (503 while replicas catch up, 502 while none is up), each followed by a retry.</summary>
    public int Refusals { get; private set; }

    public IReadOnlyList<Dictionary<string, string>> Board => _board;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var request = new HttpRequestMessage(HttpMethod.Get, "events");
            if (LastEventId is not null)
            {
                request.Headers.TryAddWithoutValidation("Last-Event-ID", LastEventId);
            }

            try
            {
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                if (response.StatusCode == HttpStatusCode.NoContent)
                {
                    return;
                }

                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Refusals++;
                    await Task.Delay(100, cancellationToken);
                    continue;
                }

                Connections++;
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                await foreach (var item in SseParser.Create(body).EnumerateAsync(cancellationToken))
                {
                    Apply(item);
                }
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException)
            {
                // Cut (a drop, a killed replica): reconnect, as EventSource would; a refused connect (nginx gone)
                // waits a moment first, as EventSource's retry does, rather than spin.
                if (ex is HttpRequestException)
                {
                    await Task.Delay(100, cancellationToken);
                }
            }
        }
    }

    private void Apply(SseItem<string> item)
    {
        if (item.EventId is not { Length: > 0 } id)
        {
            return;
        }

        if (item.EventType == "snapshot")
        {
            _board.Clear();
            _board.AddRange(BoardClient.Rows(JsonDocument.Parse(item.Data).RootElement.GetProperty("flights")));
        }
        else
        {
            BoardClient.ApplyBoardEvent(_board, item.EventType, item.Data);
        }

        Received.Add(new ReceivedFrame(item.EventType, long.Parse(id), item.Data, Connections));
        LastEventId = id;
    }
}
