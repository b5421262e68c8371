using System.Buffers;
using System.Buffers.Binary;

namespace Oriel.Graphics.Tests;

/// <summary>
/// A deterministic lossy stand-in for JPEG in FrameEncoder tests: "QZ", width and height (uint16),
/// then each pixel's channels with the low four bits dropped (1.5 bytes per pixel). Decoding puts
/// every channel in the middle of its step, so the error per channel is at most <see cref="MaxError"/>.
/// It counts its calls so tests can see when the encoder consulted it.
/// </summary>
internal sealed class QuantizingTestCodec
{
    public const int MaxError = 8;

    public int Calls { get; private set; }

    public int Encode(Framebuffer framebuffer, Rect area, int quality, IBufferWriter<byte> output)
    {
        Assert.InRange(quality, 1, 100);
        Calls++;
        var pixels = area.Width * area.Height;
        var length = 6 + ((pixels * 3) + 1) / 2;
        var span = output.GetSpan(length)[..length];
        span.Clear();
        span[0] = (byte)'Q';
        span[1] = (byte)'Z';
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], (ushort)area.Width);
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], (ushort)area.Height);
        var nibble = 0;
        for (var y = area.Y; y < area.Bottom; y++)
        {
            for (var x = area.X; x < area.Right; x++)
            {
                var p = framebuffer.At(x, y);
                for (var shift = 20; shift >= 4; shift -= 8)
                {
                    var v = (byte)((p >> shift) & 0xF);
                    span[6 + (nibble / 2)] |= (byte)(nibble % 2 == 0 ? v << 4 : v);
                    nibble++;
                }
            }
        }
        output.Advance(length);
        return length;
    }

    public static bool IsQuantized(ReadOnlySpan<byte> data) => data.Length >= 6 && data[0] == 'Q' && data[1] == 'Z';

    public static (int Width, int Height, uint[] Pixels) Decode(ReadOnlySpan<byte> data)
    {
        Assert.True(IsQuantized(data));
        int w = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
        int h = BinaryPrimitives.ReadUInt16BigEndian(data[4..]);
        var pixels = new uint[w * h];
        var nibble = 0;
        for (var i = 0; i < pixels.Length; i++)
        {
            uint p = 0;
            for (var c = 0; c < 3; c++)
            {
                var b = data[6 + (nibble / 2)];
                var v = (uint)(nibble % 2 == 0 ? b >> 4 : b & 0xF);
                p = (p << 8) | (v << 4) | 8;
                nibble++;
            }
            pixels[i] = p;
        }
        return (w, h, pixels);
    }

    /// <summary>True when every channel of <paramref name="a"/> is within <paramref name="tolerance"/> of <paramref name="b"/>'s.</summary>
    public static bool Close(uint a, uint b, int tolerance)
    {
        for (var shift = 0; shift < 24; shift += 8)
        {
            if (Math.Abs((int)((a >> shift) & 0xFF) - (int)((b >> shift) & 0xFF)) > tolerance) return false;
        }
        return true;
    }
}
