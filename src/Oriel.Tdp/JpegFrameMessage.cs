using System.Buffers.Binary;
using Oriel.Wire;

namespace Oriel.Tdp;

/// <summary>
/// Oriel extension 106 "JPEG frame", server → client (docs/tdp.md, "106 - JPEG frame"): the layout of
/// PNG frame 2 (27) with a baseline JPEG (JFIF) image instead of a PNG.
/// <c>| 106 | jpeg_length uint32 | left uint32 | top uint32 | right uint32 | bottom uint32 | data []byte |</c>;
/// jpeg_length at most <see cref="TdpLimits.MaxJpegBytes"/>. Pixels are approximate: the server later
/// sends the same area losslessly (27) once it stops changing.
/// </summary>
public sealed record JpegFrameMessage(uint Left, uint Top, uint Right, uint Bottom, byte[] Data) : TdpMessage
{
    /// <summary>type(1) jpeg_length(4) left(4) top(4) right(4) bottom(4).</summary>
    public const int HeaderSize = 21;

    public override TdpMessageType Type => TdpMessageType.JpegFrame;

    public override int Size => HeaderSize + Data.Length;

    /// <summary>
    /// Writes the 21-byte header for a JPEG of <paramref name="jpegLength"/> bytes, so a caller can send
    /// header and pooled JPEG bytes as one message: header at [0, 21), JPEG at [21, 21 + jpegLength).
    /// </summary>
    public static void WriteHeader(Span<byte> destination, uint left, uint top, uint right, uint bottom, int jpegLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(jpegLength);
        TdpFields.CheckCap(jpegLength, TdpLimits.MaxJpegBytes, "jpeg_length");
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, HeaderSize, nameof(destination));
        destination[0] = (byte)TdpMessageType.JpegFrame;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], (uint)jpegLength);
        BinaryPrimitives.WriteUInt32BigEndian(destination[5..], left);
        BinaryPrimitives.WriteUInt32BigEndian(destination[9..], top);
        BinaryPrimitives.WriteUInt32BigEndian(destination[13..], right);
        BinaryPrimitives.WriteUInt32BigEndian(destination[17..], bottom);
    }

    public override void Encode(ref SpanWriter w)
    {
        TdpFields.CheckCap(Data.Length, TdpLimits.MaxJpegBytes, "jpeg_length");
        w.WriteByte((byte)Type);
        w.WriteUInt32((uint)Data.Length);
        w.WriteUInt32(Left);
        w.WriteUInt32(Top);
        w.WriteUInt32(Right);
        w.WriteUInt32(Bottom);
        w.WriteBytes(Data);
    }

    internal static JpegFrameMessage Decode(ref SpanReader r)
    {
        var length = r.ReadLength32(TdpLimits.MaxJpegBytes, "jpeg_length");
        var left = r.ReadUInt32("left");
        var top = r.ReadUInt32("top");
        var right = r.ReadUInt32("right");
        var bottom = r.ReadUInt32("bottom");
        return new(left, top, right, bottom, r.ReadSpan(length, "data").ToArray());
    }
}
