using System.Text;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.KeyValueStore;
using SseFlights.Cli;
using SseFlights.Nats;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Nats;

/// <summary>The newest board snapshot in the key-value bucket NAME-board: it round-trips, and never goes back in sequence.</summary>
public class BoardSnapshotStoreTests
{
    private const string Board = """{"flights":[{"flight":"A1","origin":"Zürich","arrival":"10:10","state":"landed"}]}""";

    private static async Task<(NatsLog Log, BoardSnapshotStore Store)> OpenAsync(NatsServer server)
    {
        var log = await NatsLog.ConnectAsync(new NatsLogOptions(server.Url, "board", null, 100), TimeProvider.System, Serilog.Core.Logger.None, CancellationToken.None);
        return (log, await BoardSnapshotStore.OpenAsync(log, Serilog.Core.Logger.None, CancellationToken.None));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task GetNewest_NothingStored_IsNull_ThenThePutSnapshot()
    {
        await using var server = await NatsServer.StartAsync();
        var (log, store) = await OpenAsync(server);
        await using var _ = log;

        Assert.That(await store.GetNewestAsync(CancellationToken.None), Is.Null);
        Assert.That(await store.PutAsync(new BoardSnapshot(1000, Board), CancellationToken.None), Is.True);

        Assert.That(await store.GetNewestAsync(CancellationToken.None), Is.EqualTo(new BoardSnapshot(1000, Board)));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Put_OlderOrSameSequence_IsNotStored_ANewerOneIs_AndAnotherProcessSeesIt()
    {
        await using var server = await NatsServer.StartAsync();
        var (log, store) = await OpenAsync(server);
        await using var _ = log;
        await store.PutAsync(new BoardSnapshot(2000, Board), CancellationToken.None);

        bool older = await store.PutAsync(new BoardSnapshot(1000, """{"flights":[]}"""), CancellationToken.None);
        bool same = await store.PutAsync(new BoardSnapshot(2000, """{"flights":[]}"""), CancellationToken.None);
        bool newer = await store.PutAsync(new BoardSnapshot(3000, """{"flights":[]}"""), CancellationToken.None);

        Assert.That((older, same, newer), Is.EqualTo((false, false, true)));
        var (otherLog, other) = await OpenAsync(server);
        await using var __ = otherLog;
        Assert.That(await other.GetNewestAsync(CancellationToken.None), Is.EqualTo(new BoardSnapshot(3000, """{"flights":[]}""")));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Put_StoresTheSequenceAndTheBoardAsOneJsonValue_UnderTheKeyBoard()
    {
        await using var server = await NatsServer.StartAsync();
        var (log, store) = await OpenAsync(server);
        await using var _ = log;
        await store.PutAsync(new BoardSnapshot(7, Board), CancellationToken.None);

        await using var nats = new NatsConnection(new NatsOpts { Url = server.Url });
        var bucket = await new NatsKVContext(new NatsJSContext(nats)).GetStoreAsync("board-board");
        var entry = await bucket.GetEntryAsync<byte[]>("board");

        Assert.That(Encoding.UTF8.GetString(entry.Value!), Is.EqualTo($$"""{"sequence":7,"board":{{Board}}}"""));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task GetNewest_UnreadableValue_IsNull()
    {
        await using var server = await NatsServer.StartAsync();
        var (log, store) = await OpenAsync(server);
        await using var _ = log;
        await using var nats = new NatsConnection(new NatsOpts { Url = server.Url });
        var bucket = await new NatsKVContext(new NatsJSContext(nats)).GetStoreAsync("board-board");
        await bucket.PutAsync("board", "not json"u8.ToArray());

        Assert.That(await store.GetNewestAsync(CancellationToken.None), Is.Null);
        Assert.That(await store.PutAsync(new BoardSnapshot(5, Board), CancellationToken.None), Is.True, "an unreadable value is replaced");
    }
}
