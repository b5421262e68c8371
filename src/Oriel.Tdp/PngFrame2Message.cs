using System.Buffers.Binary;
using Oriel.Wire;

namespace Oriel.Tdp;

/// <summary>
/// RFD 37 message 27 "PNG frame 2", server → client: like <see cref="PngFrameMessage"/> but the PNG
/// length comes first, so a reader can skip the image without decoding it.
/// <c>| 27 | png_length uint32 | left uint32 | top uint32 | right uint32 | bottom uint32 | data []byte |</c>;
/// png_length at most <see cref="TdpLimits.MaxPngBytes"/>.
/// </summary>
public sealed record PngFrame2Message(uint Left, uint Top, uint Right, uint Bottom, byte[] Data) : TdpMessage
{
    /// <summary>type(1) png_length(4) left(4) top(4) right(4) bottom(4).</summary>
    public const int HeaderSize = 21;

    public override TdpMessageType Type => TdpMessageType.PngFrame2;

    public override int Size => HeaderSize + Data.Length;

    /// <summary>
    /// Writes the 21-byte header for a PNG of <paramref name="pngLength"/> bytes, so a caller can put
    /// header and PNG into one pooled buffer: header at [0, 21), PNG at [21, 21 + pngLength).
    /// </summary>
    public static void WriteHeader(Span<byte> destination, uint left, uint top, uint right, uint bottom, int pngLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pngLength);
        TdpFields.CheckCap(pngLength, TdpLimits.MaxPngBytes, "png_length");
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, HeaderSize, nameof(destination));
        destination[0] = (byte)TdpMessageType.PngFrame2;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], (uint)pngLength);
        BinaryPrimitives.WriteUInt32BigEndian(destination[5..], left);
        BinaryPrimitives.WriteUInt32BigEndian(destination[9..], top);
        BinaryPrimitives.WriteUInt32BigEndian(destination[13..], right);
        BinaryPrimitives.WriteUInt32BigEndian(destination[17..], bottom);
    }

    public override void Encode(ref SpanWriter w)
    {
        TdpFields.CheckCap(Data.Length, TdpLimits.MaxPngBytes, "png_length");
        w.WriteByte((byte)Type);
        w.WriteUInt32((uint)Data.Length);
        w.WriteUInt32(Left);
        w.WriteUInt32(Top);
        w.WriteUInt32(Right);
        w.WriteUInt32(Bottom);
        w.WriteBytes(Data);
    }

    internal static PngFrame2Message Decode(ref SpanReader r)
    {
        var length = r.ReadLength32(TdpLimits.MaxPngBytes, "png_length");
        var left = r.ReadUInt32("left");
        var top = r.ReadUInt32("top");
        var right = r.ReadUInt32("right");
        var bottom = r.ReadUInt32("bottom");
        return new(left, top, right, bottom, r.ReadSpan(length, "data").ToArray());
    }
}
