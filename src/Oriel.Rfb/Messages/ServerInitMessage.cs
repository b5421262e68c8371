using Oriel.Graphics;
using Oriel.Rfb.Encodings;
using Oriel.Wire;

namespace Oriel.Rfb.Messages;

/// <summary>
/// ServerInit, [RFC 6143] 7.3.2: framebuffer-width u16, framebuffer-height u16,
/// server-pixel-format PIXEL_FORMAT (16 bytes), name-length u32, name-string.
/// The size must be one <see cref="Framebuffer.IsValidSize"/> accepts; the name is capped.
/// </summary>
public sealed record ServerInitMessage(int Width, int Height, PixelFormat PixelFormat, string Name)
{
    /// <summary>Bytes before the name.</summary>
    public const int FixedLength = 2 + 2 + PixelFormat.Size + 4;

    /// <summary>Cap on name-length.</summary>
    public const int MaxNameLength = 64 * 1024;

    public static bool TryFrame(ReadOnlySpan<byte> input, out int length)
    {
        length = 0;
        if (input.Length < FixedLength) return false;
        if (!ReasonString.TryFrame(input[(FixedLength - 4)..], MaxNameLength, "ServerInit name", out var nameLength)) return false;
        length = FixedLength - 4 + nameLength;
        return true;
    }

    public static ServerInitMessage Decode(ref SpanReader reader)
    {
        var start = reader.Position;
        var width = reader.ReadUInt16("framebuffer-width");
        var height = reader.ReadUInt16("framebuffer-height");
        if (!Framebuffer.IsValidSize(width, height))
        {
            throw new DecodeException("ServerInit", start, $"framebuffer size {width}x{height} is not acceptable");
        }
        var format = PixelFormat.Decode(ref reader);
        var n = reader.ReadLength32(MaxNameLength, "name-length");
        var name = ReasonString.Text(reader.ReadSpan(n, "name-string"));
        return new ServerInitMessage(width, height, format, name);
    }

    public int Size => FixedLength + System.Text.Encoding.UTF8.GetByteCount(Name);

    public void Encode(ref SpanWriter writer)
    {
        writer.WriteUInt16(checked((ushort)Width));
        writer.WriteUInt16(checked((ushort)Height));
        PixelFormat.Encode(ref writer);
        writer.WriteString32(Name);
    }
}
