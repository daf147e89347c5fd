using System.Text.Json;

namespace SseFlights.Bench.Target;

/// <summary>The fields of /healthz the bench uses: the scenario clock (startedAt, speed) and the server's own counts.</summary>
internal sealed record Health(DateTime StartedAtUtc, double Speed, long LastEventId, int Clients, bool Closed);

/// <summary>/api/stats: bytes allocated so far, <c>GC.CollectionCount(0..2)</c> (a gen-n collection counts at every
/// generation up to n) and, from sseflights, its gen-2 collections so far by the runtime's reason (<c>gen2Reasons</c>).</summary>
internal sealed record ServerCounters(long? AllocatedBytes, IReadOnlyList<int>? GcCollections, IReadOnlyDictionary<string, long>? Gen2Reasons = null);

/// <summary>Reads /healthz, waiting for a starting server to answer.</summary>
internal sealed class HealthProbe(Uri baseUri) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(5) };

    public async Task<Health> ReadAsync(CancellationToken ct)
    {
        using HttpResponseMessage response = await _http.GetAsync("/healthz", ct);
        response.EnsureSuccessStatusCode();
        await using Stream body = await response.Content.ReadAsStreamAsync(ct);
        using JsonDocument json = await JsonDocument.ParseAsync(body, cancellationToken: ct);
        JsonElement root = json.RootElement;
        return new Health(
            root.GetProperty("startedAt").GetDateTimeOffset().UtcDateTime,
            root.GetProperty("speed").GetDouble(),
            root.GetProperty("lastEventId").GetInt64(),
            root.GetProperty("clients").GetInt32(),
            root.GetProperty("closed").GetBoolean());
    }

    /// <summary>The process counters of sseflights' /api/stats (the Kestrel peer has the same
    /// endpoint): bytes allocated so far and GC collections by generation; null for servers without it.</summary>
    public async Task<ServerCounters?> ReadCountersAsync(CancellationToken ct)
    {
        try
        {
            using HttpResponseMessage response = await _http.GetAsync("/api/stats", ct);
            if (!response.IsSuccessStatusCode) return null;
            using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            JsonElement root = json.RootElement;
            long? allocated = root.TryGetProperty("allocatedBytes", out JsonElement bytes) ? bytes.GetInt64() : null;
            int[]? collections = root.TryGetProperty("gcCollections", out JsonElement gc) && gc.ValueKind == JsonValueKind.Array
                ? [.. gc.EnumerateArray().Select(g => g.GetInt32())]
                : null;
            Dictionary<string, long>? reasons = root.TryGetProperty("gen2Reasons", out JsonElement why) && why.ValueKind == JsonValueKind.Object
                ? why.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64())
                : null;
            return new ServerCounters(allocated, collections, reasons);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Polls until /healthz answers, <paramref name="timeout"/> passes, or <paramref name="alive"/> says the server died.</summary>
    public async Task<Health> WaitAsync(TimeSpan timeout, Func<bool> alive, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        while (true)
        {
            if (!alive()) throw new InvalidOperationException("the server exited before /healthz answered (see its log)");
            try
            {
                return await ReadAsync(deadline.Token);
            }
            catch (Exception e) when (e is HttpRequestException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException
                                      || (e is OperationCanceledException && !deadline.IsCancellationRequested))
            {
                await Task.Delay(100, deadline.Token);
            }
        }
    }

    public void Dispose() => _http.Dispose();
}
