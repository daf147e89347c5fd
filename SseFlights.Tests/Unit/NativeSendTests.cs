using System.Net;
using System.Net.Sockets;
using SseFlights.Http.Listener;
using SseFlights.Delivery;

namespace SseFlights.Tests.Unit;

/// <summary>
/// The stream writer's one non-blocking send, on real loopback sockets: whatever it reports sent
/// must be exactly what the peer reads, since the writer sends the rest from that offset.
/// </summary>
public class NativeSendTests
{
    [Test]
    public void IsAvailable_OnLinux_IsTrue() =>
        Assert.That(NativeSend.Probe(), Is.EqualTo(OperatingSystem.IsLinux()), "on Linux the writer's fast path must not quietly fall back");

    [Test]
    [CancelAfter(10_000)]
    public async Task TrySend_ToASocketWithRoom_SendsEveryByte(CancellationToken cancellationToken)
    {
        using var pair = await SocketPair.OpenAsync(cancellationToken);
        byte[] frame = "3\r\nabc\r\n"u8.ToArray();

        var sent = NativeSend.TrySend(pair.Sender.SafeHandle, frame);

        Assert.That(sent, Is.EqualTo(new NativeSent(frame.Length, 0)));
        Assert.That(await pair.ReadAsync(frame.Length, cancellationToken), Is.EqualTo(frame));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task TrySend_UntilThePeerStopsTakingBytes_CountsPartialSendsExactly(CancellationToken cancellationToken)
    {
        using var pair = await SocketPair.OpenAsync(cancellationToken);
        pair.Sender.SendBufferSize = 16 * 1024;
        byte[] block = Enumerable.Range(0, 10_000).Select(i => (byte)(i % 251)).ToArray();
        var expected = new List<byte>();
        bool partial = false;

        // A peer that does not read: sends fill its window and our buffer, then take part of a block, then nothing.
        for (int i = 0; i < 10_000; i++)
        {
            int sent = NativeSend.TrySend(pair.Sender.SafeHandle, block).Bytes;
            expected.AddRange(block.Take(sent));
            partial |= sent > 0 && sent < block.Length;
            if (sent == 0)
            {
                break;
            }
        }

        var full = NativeSend.TrySend(pair.Sender.SafeHandle, block);
        Assert.That((full.Bytes, full.PeerGone), Is.EqualTo((0, false)), "a full socket takes nothing, does not block and is not a peer gone");
        Assert.That(partial, Is.True, "some send took only part of its block");
        Assert.That(await pair.ReadAsync(expected.Count, cancellationToken), Is.EqualTo(expected.ToArray()), "the peer reads exactly the bytes reported sent");
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task TrySend_AfterThePeerReset_SaysThePeerHasGoneWithoutThrowing(CancellationToken cancellationToken)
    {
        using var pair = await SocketPair.OpenAsync(cancellationToken);
        pair.Receiver.LingerState = new LingerOption(true, 0);
        pair.Receiver.Close();

        // The first send may still be taken before the reset arrives; after it, none is.
        NativeSent[] results = [.. Enumerable.Range(0, 20).Select(_ => NativeSend.TrySend(pair.Sender.SafeHandle, "x"u8))];

        Assert.That(results[^1].Bytes, Is.Zero);
        Assert.That(results[^1].PeerGone, Is.True, $"errno {results[^1].Error} ({results[^1].Reason})");
        Assert.That(results[^1].Reason, Is.AnyOf("Broken pipe", "Connection reset by peer"));
    }

    private sealed class SocketPair(Socket sender, Socket receiver) : IDisposable
    {
        public Socket Sender { get; } = sender;

        public Socket Receiver { get; } = receiver;

        public static async Task<SocketPair> OpenAsync(CancellationToken cancellationToken)
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
            var sender = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            var accepting = listener.AcceptAsync(cancellationToken).AsTask();
            await sender.ConnectAsync(listener.LocalEndPoint!, cancellationToken);
            var receiver = await accepting;
            receiver.ReceiveBufferSize = 16 * 1024;
            return new SocketPair(sender, receiver);
        }

        public async Task<byte[]> ReadAsync(int count, CancellationToken cancellationToken)
        {
            byte[] read = new byte[count];
            for (int at = 0; at < count;)
            {
                int got = await Receiver.ReceiveAsync(read.AsMemory(at), cancellationToken);
                at += got > 0 ? got : throw new EndOfStreamException($"the stream ended after {at} of {count} bytes");
            }

            return read;
        }

        public void Dispose()
        {
            Sender.Dispose();
            Receiver.Dispose();
        }
    }
}
