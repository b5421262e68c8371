using System.Buffers.Binary;
using Oriel.Wire;

namespace Oriel.Graphics.Jpeg;

/// <summary>
/// The frame header of a JPEG file (ITU-T T.81 B.2.2, the SOF<sub>n</sub> marker segment): what the
/// image is before any of it is decompressed. <see cref="Read"/> walks the marker segments from SOI
/// (B.2.1) in managed code, so that sizes from an untrusted peer are checked by the core tier, not
/// by the native library the host provides.
/// </summary>
/// <param name="Marker">The SOF<sub>n</sub> marker code, 0xC0-0xCF except DHT (0xC4), JPG (0xC8) and DAC (0xCC).</param>
/// <param name="Precision">Sample precision P in bits (8 for screen images).</param>
/// <param name="Width">Number of samples per line X (1-65535).</param>
/// <param name="Height">Number of lines Y (1-65535; 0, "defined by DNL", is refused).</param>
/// <param name="Components">Number of image components Nf: 1 grey, 3 colour, 4 CMYK/YCCK.</param>
public readonly record struct JpegFrameHeader(byte Marker, int Precision, int Width, int Height, int Components)
{
    private const string What = "JPEG";

    /// <summary>True for the progressive processes (SOF2, SOF6, SOF10, SOF14).</summary>
    public bool IsProgressive => Marker is 0xC2 or 0xC6 or 0xCA or 0xCE;

    /// <summary>
    /// Reads the frame header of <paramref name="jpeg"/>: SOI, then marker segments up to the first
    /// SOF<sub>n</sub>. Throws <see cref="DecodeException"/> (with the offset) for a missing SOI, bytes
    /// where a marker belongs, a segment length under 2 or past the end, a scan or EOI before the
    /// frame header, and a frame header whose length does not match its component count or whose
    /// width, height or component count is zero.
    /// </summary>
    public static JpegFrameHeader Read(ReadOnlySpan<byte> jpeg)
    {
        if (jpeg.Length < 2 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
        {
            throw new DecodeException(What, 0, "no SOI marker (0xFFD8) at the start");
        }
        var pos = 2;
        while (true)
        {
            if (pos >= jpeg.Length)
            {
                throw new DecodeException(What, pos, "the data ends before a frame header");
            }
            if (jpeg[pos] != 0xFF)
            {
                throw new DecodeException(What, pos, $"0x{jpeg[pos]:X2} where a marker belongs");
            }
            while (pos < jpeg.Length && jpeg[pos] == 0xFF)
            {
                pos++; // fill bytes (B.1.1.2)
            }
            if (pos >= jpeg.Length)
            {
                throw new DecodeException(What, pos, "the data ends before a frame header");
            }
            var code = jpeg[pos];
            var markerAt = pos - 1;
            pos++;
            switch (code)
            {
                case 0x00:
                    throw new DecodeException(What, markerAt, "a stuffed zero byte where a marker belongs");
                case 0x01 or (>= 0xD0 and <= 0xD7):
                    continue; // TEM and RSTn stand alone
                case 0xD8:
                    throw new DecodeException(What, markerAt, "a second SOI before the frame header");
                case 0xD9:
                    throw new DecodeException(What, markerAt, "EOI before a frame header");
                case 0xDA:
                    throw new DecodeException(What, markerAt, "a scan before the frame header");
            }
            if (jpeg.Length - pos < 2)
            {
                throw new DecodeException(What, pos, "the data ends inside a marker segment length");
            }
            int length = BinaryPrimitives.ReadUInt16BigEndian(jpeg[pos..]);
            if (length < 2)
            {
                throw new DecodeException(What, pos, $"marker segment length {length} is under 2");
            }
            if (length > jpeg.Length - pos)
            {
                throw new DecodeException(What, pos, $"marker 0xFF{code:X2} segment of {length} bytes runs past the end");
            }
            if (IsFrameMarker(code))
            {
                return ReadFrame(code, jpeg.Slice(pos, length), pos);
            }
            pos += length;
        }
    }

    private static bool IsFrameMarker(byte code) => code is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC);

    private static JpegFrameHeader ReadFrame(byte code, ReadOnlySpan<byte> segment, int offset)
    {
        // Lf (2), P (1), Y (2), X (2), Nf (1), then Nf times: C (1), H/V (1), Tq (1).
        if (segment.Length < 8)
        {
            throw new DecodeException(What, offset, $"frame header of {segment.Length} bytes is shorter than 8");
        }
        var precision = segment[2];
        int height = BinaryPrimitives.ReadUInt16BigEndian(segment[3..]);
        int width = BinaryPrimitives.ReadUInt16BigEndian(segment[5..]);
        var components = segment[7];
        if (components == 0)
        {
            throw new DecodeException(What, offset + 7, "frame header with no components");
        }
        if (segment.Length != 8 + (3 * components))
        {
            throw new DecodeException(What, offset, $"frame header length {segment.Length} does not fit {components} components");
        }
        if (width == 0)
        {
            throw new DecodeException(What, offset + 5, "image width 0");
        }
        if (height == 0)
        {
            throw new DecodeException(What, offset + 3, "image height 0 (defined by a DNL marker) is not supported");
        }
        return new JpegFrameHeader(code, precision, width, height, components);
    }
}
