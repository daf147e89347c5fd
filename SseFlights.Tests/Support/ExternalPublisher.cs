using System.Text;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.KeyValueStore;

namespace SseFlights.Tests.Support;

/// <summary>
/// A producer that is not SseFlights: the NATS.Net client itself, publishing JSON timeline entries to
/// the board's subject as any program could, each acknowledged by JetStream with its sequence.
/// </summary>
internal sealed class ExternalPublisher : IAsyncDisposable
{
    private readonly NatsConnection _connection;
    private readonly NatsJSContext _jetStream;
    private readonly string _subject;

    private ExternalPublisher(NatsConnection connection, string subject)
    {
        _connection = connection;
        _jetStream = new NatsJSContext(connection);
        _subject = subject;
    }

    public static async Task<ExternalPublisher> ConnectAsync(string url, string stream = "sseflights")
    {
        var connection = new NatsConnection(new NatsOpts { Url = url, Name = "external-test-publisher" });
        await connection.ConnectAsync();
        return new ExternalPublisher(connection, $"{stream}.events");
    }

    /// <summary>Publishes <paramref name="body"/> as written (malformed or not); its sequence once JetStream has stored it.</summary>
    public async Task<long> PublishAsync(string body, CancellationToken cancellationToken = default)
    {
        var ack = await _jetStream.PublishAsync(_subject, Encoding.UTF8.GetBytes(body), cancellationToken: cancellationToken);
        ack.EnsureSuccess();
        return (long)ack.Seq;
    }

    /// <summary>The stored board's raw value (<c>{"sequence":N,"board":…}</c>) in the replicas' bucket.</summary>
    public async Task<string> GetBoardAsync(CancellationToken cancellationToken, string bucket = "sseflights-board")
    {
        var store = await new NatsKVContext(_jetStream).GetStoreAsync(bucket, cancellationToken);
        var entry = await store.GetEntryAsync<byte[]>("board", cancellationToken: cancellationToken);
        return Encoding.UTF8.GetString(entry.Value!);
    }

    /// <summary>Writes <paramref name="value"/> as the stored board, as any program with access to the bucket could.</summary>
    public async Task PutBoardAsync(string value, CancellationToken cancellationToken, string bucket = "sseflights-board")
    {
        var store = await new NatsKVContext(_jetStream).GetStoreAsync(bucket, cancellationToken);
        await store.PutAsync("board", Encoding.UTF8.GetBytes(value), cancellationToken: cancellationToken);
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
