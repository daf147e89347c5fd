using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;

namespace SseFlights.Tests.Support;

/// <summary>
/// Behaves like EventSource: follows /events, keeps the last id, reconnects with Last-Event-ID
/// when the stream is cut or ends, stops on 204, and keeps its own board from the events it saw.
/// Records every id so a test can prove nothing was missed or repeated.
/// </summary>
internal sealed class BoardClient(HttpClient http)
{
    private readonly List<Dictionary<string, string>> _board = [];

    public string? LastEventId { get; private set; }

    public List<(string Type, long Id)> Received { get; } = [];

    public int Connections { get; private set; }

    public int Gaps { get; private set; }

    public int Duplicates { get; private set; }

    public int Snapshots { get; private set; }

    /// <summary>Events that had already happened when this client reconnected: what the server resent.</summary>
    public int Resent { get; private set; }

    /// <summary>The board as this client believes it is, as compact JSON rows in board order.</summary>
    public IReadOnlyList<Dictionary<string, string>> Board => _board;

    /// <summary>Follows the stream until the server answers 204, or <paramref name="stop"/> says so after a disconnect.</summary>
    public async Task RunAsync(Func<bool> stop, CancellationToken cancellationToken, Func<int, bool>? hangUpAfter = null)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "events");
            if (LastEventId is not null)
            {
                request.Headers.TryAddWithoutValidation("Last-Event-ID", LastEventId);
            }

            long resendUpTo = LastEventId is null ? 0 : await NewestIdAsync(cancellationToken);
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            }
            catch (HttpRequestException)
            {
                continue;
            }

            using (response)
            {
                if (response.StatusCode == HttpStatusCode.NoContent)
                {
                    return;
                }

                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                Connections++;
                try
                {
                    await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                    int seen = 0;
                    await foreach (var item in SseParser.Create(body).EnumerateAsync(cancellationToken))
                    {
                        Apply(item);
                        Resent += item.EventType != "snapshot" && long.Parse(item.EventId!) <= resendUpTo ? 1 : 0;
                        if (hangUpAfter?.Invoke(++seen) == true)
                        {
                            break;
                        }
                    }
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException)
                {
                    // Cut by the server (a drop): reconnect, as EventSource would.
                }
            }

            if (stop())
            {
                return;
            }
        }
    }

    private async Task<long> NewestIdAsync(CancellationToken cancellationToken)
    {
        using var health = await http.GetAsync("healthz", cancellationToken);
        return JsonDocument.Parse(await health.Content.ReadAsStringAsync(cancellationToken)).RootElement.GetProperty("lastEventId").GetInt64();
    }

    private void Apply(SseItem<string> item)
    {
        long id = long.Parse(item.EventId!);
        long? last = LastEventId is null ? null : long.Parse(LastEventId);
        if (item.EventType == "snapshot")
        {
            Snapshots++;
            _board.Clear();
            foreach (var row in JsonDocument.Parse(item.Data).RootElement.GetProperty("flights").EnumerateArray())
            {
                _board.Add(Row(row));
            }
        }
        else
        {
            if (last is { } previous && id <= previous)
            {
                Duplicates++;
            }
            else if (last is { } before && id != before + 1)
            {
                Gaps++;
            }

            ApplyBoardEvent(_board, item.EventType, item.Data);
        }

        Received.Add((item.EventType, id));
        LastEventId = item.EventId;
    }

    /// <summary>Applies a board event (its SSE data, or the same JSON in a scenario file) to rows in board order; other events change nothing.</summary>
    public static void ApplyBoardEvent(List<Dictionary<string, string>> board, string eventType, string data)
    {
        if (eventType is not ("flightStateUpdate" or "flightAddition" or "flightRemoval"))
        {
            return;
        }

        var change = Row(JsonDocument.Parse(data).RootElement);
        int index = board.FindIndex(r => r["flight"] == change["flight"]);
        switch (eventType)
        {
            case "flightAddition":
                board.Add(change);
                break;
            case "flightRemoval":
                board.RemoveAt(index);
                break;
            default:
                foreach (var (key, value) in change)
                {
                    board[index][key] = value;
                }

                break;
        }
    }

    public static Dictionary<string, string> Row(JsonElement row) =>
        row.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);

    public static List<Dictionary<string, string>> Rows(JsonElement flights) =>
        [.. flights.EnumerateArray().Select(Row)];
}
