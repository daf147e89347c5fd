using System.Text;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using SseFlights.Cli;
using SseFlights.Nats;
using SseFlights.Tests.Support;

namespace SseFlights.Tests.Nats;

/// <summary>The log over a real nats-server: the stream and its bound, appends and their sequences, reading by sequence and in order, and the one-line failures.</summary>
public class NatsLogTests
{
    private static NatsLogOptions Options(NatsServer server, long maxMessages = 100, string stream = "board") => new(server.Url, stream, null, maxMessages);

    private static Task<NatsLog> ConnectAsync(NatsLogOptions options) =>
        NatsLog.ConnectAsync(options, TimeProvider.System, Serilog.Core.Logger.None, CancellationToken.None);

    private static byte[] Body(int n) => Encoding.UTF8.GetBytes($$"""{"comment":"m{{n}}"}""");

    private static async Task AppendAsync(NatsLog log, int from, int to)
    {
        for (int n = from; n <= to; n++)
        {
            Assert.That(await log.AppendAsync(Body(n), null, CancellationToken.None), Is.EqualTo(n));
        }
    }

    private static (long, string) Read(LogRecord? record) => record is null ? (0, "none") : (record.Sequence, Encoding.UTF8.GetString(record.Payload));

    [Test]
    [CancelAfter(60_000)]
    public async Task EnsureStream_Missing_CreatesItOnTheSubjectBoundedToMaxMessages_DiscardingTheOldest()
    {
        await using var server = await NatsServer.StartAsync();
        await using var log = await ConnectAsync(Options(server, maxMessages: 3));

        Assert.That(await log.EnsureStreamAsync(CancellationToken.None), Is.EqualTo(new LogStreamState(1, 0, 0, 3)));
        await AppendAsync(log, 1, 5);

        Assert.That(await log.StateAsync(CancellationToken.None), Is.EqualTo(new LogStreamState(3, 5, 3, 3)));
        var kept = new List<(long, string)>();
        for (long sequence = 1; sequence <= 6; sequence++)
        {
            kept.Add(Read(await log.GetAsync(sequence, CancellationToken.None)));
        }

        Assert.That(kept, Is.EqualTo(new[] { (0L, "none"), (0L, "none"), (3L, """{"comment":"m3"}"""), (4L, """{"comment":"m4"}"""), (5L, """{"comment":"m5"}"""), (0L, "none") }));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task EnsureStream_Existing_KeepsItsMessagesAndItsOwnBound()
    {
        await using var server = await NatsServer.StartAsync();
        await using (var first = await ConnectAsync(Options(server, maxMessages: 3)))
        {
            await first.EnsureStreamAsync(CancellationToken.None);
            await AppendAsync(first, 1, 2);
        }

        await using var second = await ConnectAsync(Options(server, maxMessages: 50));

        Assert.That(await second.EnsureStreamAsync(CancellationToken.None), Is.EqualTo(new LogStreamState(1, 2, 2, 3)));
        Assert.That(await second.AppendAsync(Body(3), null, CancellationToken.None), Is.EqualTo(3));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task EnsureStream_NameTakenByAStreamOfAnotherSubject_IsRefusedInOneLine()
    {
        await using var server = await NatsServer.StartAsync();
        await using (var nats = new NatsConnection(new NatsOpts { Url = server.Url }))
        {
            await new NatsJSContext(nats).CreateStreamAsync(new StreamConfig("orders", ["orders.>"]));
        }

        await using var log = await ConnectAsync(Options(server, stream: "orders"));
        var failure = Assert.ThrowsAsync<LogUnavailableException>(() => log.EnsureStreamAsync(CancellationToken.None));

        Assert.That(failure!.Message, Is.EqualTo($"the stream orders at {server.Url} holds orders.>, not orders.events; choose another --nats-stream"));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Append_ReturnsEachMessagesSequenceAfterTheAck_AndARetriedMessageIdIsKeptOnce()
    {
        await using var server = await NatsServer.StartAsync();
        await using var log = await ConnectAsync(Options(server));
        await log.EnsureStreamAsync(CancellationToken.None);

        long first = await log.AppendAsync(Body(1), "run.0.0", CancellationToken.None);
        long retried = await log.AppendAsync(Body(1), "run.0.0", CancellationToken.None);
        long second = await log.AppendAsync(Body(2), "run.0.1", CancellationToken.None);

        Assert.That((first, retried, second), Is.EqualTo((1L, 1L, 2L)));
        Assert.That((await log.StateAsync(CancellationToken.None)).LastSequence, Is.EqualTo(2));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task ReadFrom_ASequence_YieldsItAndTheRestInOrder_ThenEachNewMessage(CancellationToken cancellationToken)
    {
        await using var server = await NatsServer.StartAsync();
        await using var log = await ConnectAsync(Options(server));
        await log.EnsureStreamAsync(CancellationToken.None);
        await AppendAsync(log, 1, 5);

        await using var reading = log.ReadFromAsync(3, cancellationToken).GetAsyncEnumerator(cancellationToken);
        var read = new List<(long, string)>();
        for (int i = 0; i < 3; i++)
        {
            Assert.That(await reading.MoveNextAsync(), Is.True);
            read.Add(Read(reading.Current));
        }

        var next = reading.MoveNextAsync().AsTask();
        Assert.That(next.IsCompleted, Is.False, "nothing after 5 yet");
        await AppendAsync(log, 6, 6);
        Assert.That(await next, Is.True);
        read.Add(Read(reading.Current));

        Assert.That(read, Is.EqualTo(new[] { (3L, """{"comment":"m3"}"""), (4L, """{"comment":"m4"}"""), (5L, """{"comment":"m5"}"""), (6L, """{"comment":"m6"}""") }));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task ReadFrom_BeforeTheOldestKept_StartsAtTheOldestKept(CancellationToken cancellationToken)
    {
        await using var server = await NatsServer.StartAsync();
        await using var log = await ConnectAsync(Options(server, maxMessages: 2));
        await log.EnsureStreamAsync(CancellationToken.None);
        await AppendAsync(log, 1, 4);

        await using var reading = log.ReadFromAsync(1, cancellationToken).GetAsyncEnumerator(cancellationToken);
        Assert.That(await reading.MoveNextAsync(), Is.True);

        Assert.That(reading.Current.Sequence, Is.EqualTo(3), "1 and 2 were discarded: the jump says so");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Connect_NoServerThere_ThrowsOneLineNamingTheUrlAndTheReason()
    {
        int port = FreePort.Reserve();

        var failure = Assert.ThrowsAsync<LogUnavailableException>(() => ConnectAsync(new NatsLogOptions($"nats://127.0.0.1:{port}", "board", null, 100)));

        Assert.That(failure!.Message, Is.EqualTo($"cannot connect to NATS at nats://127.0.0.1:{port}: connection refused"));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Connect_CredentialsInTheUrl_AreUsed_AndWrongOnesRefusedWithoutShowingThem()
    {
        await using var server = await NatsServer.StartAsync(user: "feeder", password: "s3cret");
        await using (var log = await ConnectAsync(new NatsLogOptions(server.UrlWithCredentials, "board", null, 100)))
        {
            Assert.That((await log.EnsureStreamAsync(CancellationToken.None)).LastSequence, Is.EqualTo(0));
        }

        var failure = Assert.ThrowsAsync<LogUnavailableException>(() => ConnectAsync(new NatsLogOptions($"nats://feeder:wrong@127.0.0.1:{server.Port}", "board", null, 100)));

        Assert.That(failure!.Message, Is.EqualTo($"cannot connect to NATS at nats://***@127.0.0.1:{server.Port}: the server answered Authorization Violation"));
    }

    [Test]
    [CancelAfter(30_000)]
    public void Connect_CredentialsFileMissing_ThrowsOneLine()
    {
        var failure = Assert.ThrowsAsync<LogUnavailableException>(() => ConnectAsync(new NatsLogOptions("nats://127.0.0.1:4222", "board", "/nonexistent/user.creds", 100)));

        Assert.That(failure!.Message, Is.EqualTo("cannot read the NATS credentials file '/nonexistent/user.creds': file not found"));
    }
}
