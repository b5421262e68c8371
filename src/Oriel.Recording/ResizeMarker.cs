using Oriel.Wire;

namespace Oriel.Recording;

/// <summary>
/// Payload of a Resize record (docs/recording.md, "Resize"): <c>width u16 | height u16</c>, both at
/// least 1. Bytes after them are ignored.
/// </summary>
public sealed record ResizeMarker(int Width, int Height)
{
    public const int Length = 4;

    public int Size => Length;

    public void Encode(ref SpanWriter writer)
    {
        if (Width is < 1 or > ushort.MaxValue || Height is < 1 or > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(Width), $"size {Width}x{Height} must be 1-65535 each way");
        }
        writer.WriteUInt16((ushort)Width);
        writer.WriteUInt16((ushort)Height);
    }

    public static ResizeMarker Decode(ReadOnlySpan<byte> payload)
    {
        var r = new SpanReader(payload, "Resize");
        var width = r.ReadUInt16("width");
        var height = r.ReadUInt16("height");
        if (width == 0 || height == 0) throw r.Error($"size {width}x{height} is empty");
        return new ResizeMarker(width, height);
    }
}
