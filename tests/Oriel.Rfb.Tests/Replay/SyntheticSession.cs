using System.Buffers.Binary;
using System.Text;
using Oriel.Rfb.Encodings;
using Oriel.Rfb.Messages;
using Oriel.Rfb.Replay;

namespace Oriel.Rfb.Tests.Replay;

/// <summary>
/// A recorded RFB session built from the engine's own message encoders, both directions in the
/// order a gateway would see them, together with the screen the viewer must be left with
/// (tracked here independently of the decoders).
/// </summary>
internal sealed class SyntheticSession
{
    /// <summary>RGB565 big-endian: a server natural format unlike the one the client asks for.</summary>
    public static readonly PixelFormat Rgb565BigEndian = new(16, 16, true, true, 31, 63, 31, 11, 5, 0);

    private PixelFormat _format;

    public SyntheticSession(int width, int height, PixelFormat serverFormat)
    {
        Width = width;
        Height = height;
        _format = serverFormat;
        Screen = new uint[width * height];
    }

    public List<(RfbStreamDirection Direction, byte[] Bytes)> Chunks { get; } = [];
    public int Width { get; private set; }
    public int Height { get; private set; }

    /// <summary>The expected framebuffer, row-major 0x00RRGGBB.</summary>
    public uint[] Screen { get; private set; }

    public void Server(byte[] bytes) => Chunks.Add((RfbStreamDirection.ServerToClient, bytes));

    public void Client(byte[] bytes) => Chunks.Add((RfbStreamDirection.ClientToServer, bytes));

    public void Server<T>(T message)
        where T : IRfbClientMessage => Server(Wire.Encode(message));

    public void Client<T>(T message)
        where T : IRfbClientMessage => Client(Wire.Encode(message));

    /// <summary>3.8, VNC Authentication, ServerInit in <paramref name="serverFormat"/>, then the client's SetPixelFormat (unless null), SetEncodings and first request.</summary>
    public static SyntheticSession Connected(int width, int height, PixelFormat serverFormat, PixelFormat? clientFormat)
    {
        var s = new SyntheticSession(width, height, serverFormat);
        s.Server(ProtocolVersionMessage.V38);
        s.Client(ProtocolVersionMessage.V38);
        s.Server(Wire.Encode(new SecurityTypesMessage([RfbSecurityType.VeNCrypt, RfbSecurityType.VncAuthentication], null).Size, new SecurityTypesMessage([RfbSecurityType.VeNCrypt, RfbSecurityType.VncAuthentication], null).Encode));
        s.Client(new SecurityTypeSelectionMessage(RfbSecurityType.VncAuthentication));
        s.Server(Enumerable.Range(1, 16).Select(i => (byte)i).ToArray());
        s.Client(Enumerable.Range(100, 16).Select(i => (byte)i).ToArray());
        s.Server(Wire.Encode(4, new SecurityResultMessage(SecurityResultMessage.Ok, null).Encode));
        s.Client(new ClientInitMessage(true));
        var init = new ServerInitMessage(width, height, serverFormat, "synthetic desktop");
        s.Server(Wire.Encode(init.Size, init.Encode));
        if (clientFormat is not null) s.SetPixelFormat(clientFormat);
        s.Client(new SetEncodingsMessage(RfbClient.DefaultEncodings()));
        s.Client(new FramebufferUpdateRequestMessage(false, 0, 0, (ushort)width, (ushort)height));
        return s;
    }

    /// <summary>The client changes the format; updates the server sends from now on use it.</summary>
    public void SetPixelFormat(PixelFormat format)
    {
        Client(new SetPixelFormatMessage(format));
        _format = format;
    }

    /// <summary>Encodes a pixel in the current format (true colour), from 8-bit components.</summary>
    public byte[] Pixel(uint rgb, out uint shown)
    {
        var f = _format;
        uint r = (rgb >> 16) & 0xFF, g = (rgb >> 8) & 0xFF, b = rgb & 0xFF;
        uint rv = r * f.RedMax / 255, gv = g * f.GreenMax / 255, bv = b * f.BlueMax / 255;
        // What a viewer shows for those values: scaled back to 0..255, rounded.
        shown = (Scale(rv, f.RedMax) << 16) | (Scale(gv, f.GreenMax) << 8) | Scale(bv, f.BlueMax);
        var value = (rv << f.RedShift) | (gv << f.GreenShift) | (bv << f.BlueShift);
        var bytes = new byte[f.BytesPerPixel];
        switch (f.BytesPerPixel)
        {
            case 1:
                bytes[0] = (byte)value;
                break;
            case 2:
                if (f.BigEndian) BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)value);
                else BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)value);
                break;
            default:
                if (f.BigEndian) BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
                else BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
                break;
        }
        return bytes;
    }

    private static uint Scale(uint v, ushort max) => max == 0 ? 0 : (uint)(((v * 255) + (max / 2)) / max);

    /// <summary>One FramebufferUpdate with the given rectangles (each already encoded, header included).</summary>
    public void Update(params byte[][] rectangles)
    {
        byte[] message = [.. Wire.Encode(4, new FramebufferUpdateMessage((ushort)rectangles.Length).Encode), .. rectangles.SelectMany(r => r)];
        Server(message);
    }

    /// <summary>A Raw rectangle whose pixels come from <paramref name="colour"/>(x, y); updates the expected screen.</summary>
    public byte[] Raw(int x, int y, int w, int h, Func<int, int, uint> colour)
    {
        var header = new RectangleHeader((ushort)x, (ushort)y, (ushort)w, (ushort)h, RfbEncodingType.Raw);
        var bytes = new List<byte>(Wire.Encode(RectangleHeader.Length, header.Encode));
        for (var j = 0; j < h; j++)
        {
            for (var i = 0; i < w; i++)
            {
                bytes.AddRange(Pixel(colour(x + i, y + j), out var shown));
                Screen[((y + j) * Width) + x + i] = shown;
            }
        }
        return [.. bytes];
    }

    /// <summary>A CopyRect rectangle ([RFC 6143] 7.7.2); updates the expected screen.</summary>
    public byte[] CopyRect(int srcX, int srcY, int x, int y, int w, int h)
    {
        var header = new RectangleHeader((ushort)x, (ushort)y, (ushort)w, (ushort)h, RfbEncodingType.CopyRect);
        var copy = new uint[w * h];
        for (var j = 0; j < h; j++)
        {
            for (var i = 0; i < w; i++) copy[(j * w) + i] = Screen[((srcY + j) * Width) + srcX + i];
        }
        for (var j = 0; j < h; j++)
        {
            for (var i = 0; i < w; i++) Screen[((y + j) * Width) + x + i] = copy[(j * w) + i];
        }
        return [.. Wire.Encode(RectangleHeader.Length, header.Encode), (byte)(srcX >> 8), (byte)srcX, (byte)(srcY >> 8), (byte)srcY];
    }

    /// <summary>An ExtendedDesktopSize rectangle (rfbproto) announcing a new size; the kept top-left content follows the framebuffer's rule.</summary>
    public byte[] ExtendedDesktopSize(int width, int height)
    {
        var header = new RectangleHeader(0, 0, (ushort)width, (ushort)height, RfbEncodingType.ExtendedDesktopSize);
        var payload = new ExtendedDesktopSizePayload([new DesktopScreen(1, 0, 0, (ushort)width, (ushort)height, 0)]);
        Resize(width, height);
        return [.. Wire.Encode(RectangleHeader.Length, header.Encode), .. Wire.Encode(ExtendedDesktopSizePayload.PayloadLength(1), payload.Encode)];
    }

    /// <summary>A DesktopSize rectangle ([RFC 6143] 7.8.2).</summary>
    public byte[] DesktopSize(int width, int height)
    {
        var header = new RectangleHeader(0, 0, (ushort)width, (ushort)height, RfbEncodingType.DesktopSize);
        Resize(width, height);
        return Wire.Encode(RectangleHeader.Length, header.Encode);
    }

    /// <summary>An empty pseudo-encoding rectangle (QEMU extended key event, extended mouse buttons) or one with a small payload.</summary>
    public static byte[] Pseudo(int encoding, params byte[] payload) =>
        [.. Wire.Encode(RectangleHeader.Length, new RectangleHeader(0, 0, 0, 0, encoding).Encode), .. payload];

    private void Resize(int width, int height)
    {
        var next = new uint[width * height];
        for (var y = 0; y < Math.Min(height, Height); y++)
        {
            for (var x = 0; x < Math.Min(width, Width); x++) next[(y * width) + x] = Screen[(y * Width) + x];
        }
        Screen = next;
        Width = width;
        Height = height;
    }

    /// <summary>Feeds every chunk to a new observer, optionally cut into random pieces (each piece keeps its direction and order).</summary>
    public RfbStreamObserver Replay(Random? random = null, IFramebufferSink? sink = null)
    {
        var observer = new RfbStreamObserver(sink);
        foreach (var (direction, bytes) in Chunks)
        {
            if (random is null)
            {
                observer.Observe(direction, bytes);
                continue;
            }
            for (var i = 0; i < bytes.Length;)
            {
                var n = Math.Min(bytes.Length - i, random.Next(1, 23));
                observer.Observe(direction, bytes.AsSpan(i, n));
                i += n;
            }
        }
        return observer;
    }

    /// <summary>All bytes of one direction.</summary>
    public byte[] Stream(RfbStreamDirection direction) => [.. Chunks.Where(c => c.Direction == direction).SelectMany(c => c.Bytes)];

    public static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);
}
