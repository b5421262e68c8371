using System.Buffers;
using System.Text;
using Oriel.Graphics;
using Oriel.Rfb.Encodings;
using Oriel.Rfb.Messages;
using Oriel.Wire;

namespace Oriel.Rfb.Tests;

/// <summary>
/// A scripted server made of bytes: feeds the client server bytes (whole or in chunks) and checks
/// the exact bytes the client answers with. No sockets.
/// </summary>
internal sealed class ScriptedServer
{
    public ScriptedServer(RfbClientOptions? options = null, int chunk = int.MaxValue)
    {
        Sink = new RecordingSink();
        Client = new RfbClient(options ?? new RfbClientOptions(), Sink);
        Chunk = chunk;
    }

    public RfbClient Client { get; }
    public RecordingSink Sink { get; }
    public int Chunk { get; }
    public List<RfbEvent> Events { get; } = [];

    /// <summary>Sends server bytes to the client in chunks of <see cref="Chunk"/> bytes, then collects events.</summary>
    public void Send(ReadOnlySpan<byte> bytes)
    {
        for (var i = 0; i < bytes.Length; i += Chunk)
        {
            Client.Receive(bytes.Slice(i, Math.Min(Chunk, bytes.Length - i)));
        }
        Drain();
    }

    public void Send(string hex) => Send(HexVectors.Hex(hex));

    public void Send<T>(T message)
        where T : IRfbClientMessage => Send(Wire.Encode(message));

    public void Drain()
    {
        while (Client.TryDequeueEvent(out var ev)) Events.Add(ev);
    }

    /// <summary>All bytes the client wants to send, drained.</summary>
    public byte[] Take()
    {
        var w = new ArrayBufferWriter<byte>();
        Client.TakeOutput(w);
        Assert.False(Client.HasOutput);
        return w.WrittenSpan.ToArray();
    }

    public void ExpectClient(ReadOnlySpan<byte> expected) => Assert.Equal(expected.ToArray(), Take());

    public void ExpectClient(string hex) => ExpectClient(HexVectors.Hex(hex));

    public T Single<T>()
        where T : RfbEvent
    {
        var matches = Events.OfType<T>().ToList();
        Assert.Single(matches);
        return matches[0];
    }

    public static byte[] ServerInit(int width, int height, string name = "test") =>
        Wire.Encode(new ServerInitMessage(width, height, PixelFormat.Rgb888, name).Size, new ServerInitMessage(width, height, PixelFormat.Rgb888, name).Encode);

    /// <summary>The three messages a client sends right after ServerInit with default options.</summary>
    public static byte[] InitialClientRequests(int width, int height) =>
    [
        .. Wire.Encode(new SetPixelFormatMessage(PixelFormat.Rgb888)),
        .. Wire.Encode(new SetEncodingsMessage(RfbClient.DefaultEncodings())),
        .. Wire.Encode(new FramebufferUpdateRequestMessage(false, 0, 0, (ushort)width, (ushort)height)),
    ];

    /// <summary>A client past a 3.8 None handshake with a <paramref name="width"/> x <paramref name="height"/> framebuffer; output and events drained.</summary>
    public static ScriptedServer Connected(int width = 4, int height = 2, RfbClientOptions? options = null, int chunk = int.MaxValue)
    {
        var s = new ScriptedServer(options, chunk);
        s.Send(Encoding.ASCII.GetBytes("RFB 003.008\n"));
        s.Send("01 01");
        s.Send("00000000");
        s.Send(ServerInit(width, height));
        Assert.Equal(RfbPhase.Normal, s.Client.Phase);
        s.Take();
        s.Events.Clear();
        return s;
    }
}
