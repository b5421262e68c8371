using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Oriel.Recording;

namespace Oriel.Gateway.Tests.Replay;

/// <summary>
/// Writes an <c>rfb-passthrough</c> recording by hand, as the gateway's recorder would for a viewer talking to a
/// VNC server: the None handshake at 3.8, a ServerInit in 32-bit little-endian true colour (red shift 16, green 8,
/// blue 0), the client's SetEncodings and first request, then whatever updates a test adds, at the times it says.
/// RFB bytes are built from [RFC 6143] 7.1-7.7 directly, not with the engine's encoders.
/// </summary>
internal sealed class PassthroughRecordingBuilder
{
    private readonly ArrayBufferWriter<byte> _output = new();
    private readonly StreamRecordingWriter _writer;

    public PassthroughRecordingBuilder(int width, int height, string sessionId = "s1")
    {
        _writer = new StreamRecordingWriter(_output, new StreamRecordingHeader
        {
            Kind = StreamRecordingHeader.RfbPassthroughKind,
            SessionId = sessionId,
            TargetId = "desk",
            User = "dana",
            StartUnixMilliseconds = 1_700_000_000_000,
            Metadata = """{"target":"127.0.0.1:5900"}""",
        });
        _writer.AppendSessionStart(0);
        Server(100, Encoding.ASCII.GetBytes("RFB 003.008\n"));
        Client(200, Encoding.ASCII.GetBytes("RFB 003.008\n"));
        Server(300, [1, 1]);        // one security type: None
        Client(400, [1]);           // the viewer picks None
        Server(500, [0, 0, 0, 0]);  // SecurityResult OK
        Client(600, [1]);           // ClientInit, shared
        var init = new byte[24 + 7];
        BinaryPrimitives.WriteUInt16BigEndian(init, (ushort)width);
        BinaryPrimitives.WriteUInt16BigEndian(init.AsSpan(2), (ushort)height);
        byte[] format = [32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0, 0, 0, 0];
        format.CopyTo(init.AsSpan(4));
        BinaryPrimitives.WriteUInt32BigEndian(init.AsSpan(20), 7);
        Encoding.ASCII.GetBytes("desktop").CopyTo(init.AsSpan(24));
        Server(700, init);
        Client(800, [2, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0x21]); // SetEncodings: Raw, CopyRect, DesktopSize
        Client(900, [3, 0, 0, 0, 0, 0, (byte)(width >> 8), (byte)width, (byte)(height >> 8), (byte)height]);
    }

    public void Server(long timeUs, byte[] bytes) => _writer.AppendData(StreamDirection.ServerToClient, timeUs, bytes);

    public void Client(long timeUs, byte[] bytes) => _writer.AppendData(StreamDirection.ClientToServer, timeUs, bytes);

    /// <summary>One FramebufferUpdate holding <paramref name="rectangles"/> (each with its header), as one chunk.</summary>
    public void Update(long timeUs, params byte[][] rectangles)
    {
        byte[] head = [0, 0, (byte)(rectangles.Length >> 8), (byte)rectangles.Length];
        Server(timeUs, [.. head, .. rectangles.SelectMany(r => r)]);
    }

    /// <summary>A rectangle header: position, size, encoding type.</summary>
    public static byte[] Header(int x, int y, int w, int h, int encoding)
    {
        var b = new byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(b, (ushort)x);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(2), (ushort)y);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(4), (ushort)w);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(6), (ushort)h);
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(8), encoding);
        return b;
    }

    /// <summary>A Raw rectangle (encoding 0) of 0x00RRGGBB colours.</summary>
    public static byte[] Raw(int x, int y, int w, int h, Func<int, int, uint> colour)
    {
        var b = new byte[12 + (w * h * 4)];
        Header(x, y, w, h, 0).CopyTo(b, 0);
        var i = 12;
        for (var j = 0; j < h; j++)
        {
            for (var k = 0; k < w; k++, i += 4) BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(i), colour(x + k, y + j) & 0xFFFFFF);
        }
        return b;
    }

    /// <summary>A CopyRect rectangle (encoding 1): the pixels at (srcX, srcY) move to (x, y).</summary>
    public static byte[] Copy(int srcX, int srcY, int x, int y, int w, int h) =>
        [.. Header(x, y, w, h, 1), (byte)(srcX >> 8), (byte)srcX, (byte)(srcY >> 8), (byte)srcY];

    /// <summary>A DesktopSize pseudo-rectangle (-223): the screen is now <paramref name="w"/> x <paramref name="h"/>.</summary>
    public static byte[] DesktopSize(int w, int h) => Header(0, 0, w, h, -223);

    /// <summary>The file so far, without an End record (a session still running, or cut short).</summary>
    public byte[] Incomplete() => _output.WrittenSpan.ToArray();

    /// <summary>SessionEnd and End: a complete file.</summary>
    public byte[] Finish(long timeUs)
    {
        _writer.AppendSessionEnd(timeUs, SessionEndReason.ClientClosed, "closed");
        _writer.Finish(timeUs);
        return _output.WrittenSpan.ToArray();
    }
}
