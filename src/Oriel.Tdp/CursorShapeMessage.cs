using Oriel.Wire;

namespace Oriel.Tdp;

/// <summary>
/// Oriel message 102 "cursor shape" (docs/tdp.md), server → client: the remote pointer's image.
/// <c>| 102 | hotspot_x uint16 | hotspot_y uint16 | width uint16 | height uint16 | data_length uint32 | rgba []byte |</c>.
/// rgba is straight (non-premultiplied) RGBA, row-major, data_length = width × height × 4.
/// width = height = 0 hides the cursor (hotspot ignored); otherwise both are 1..<see cref="TdpLimits.MaxCursorSide"/>
/// and the hotspot lies inside the image.
/// </summary>
public sealed record CursorShapeMessage(ushort HotspotX, ushort HotspotY, ushort Width, ushort Height, byte[] Rgba) : TdpMessage
{
    /// <summary>type(1) hotspot_x(2) hotspot_y(2) width(2) height(2) data_length(4).</summary>
    public const int HeaderSize = 13;

    /// <summary>The "hide the cursor" message.</summary>
    public static CursorShapeMessage Hidden { get; } = new(0, 0, 0, 0, []);

    public override TdpMessageType Type => TdpMessageType.CursorShape;

    public override int Size => HeaderSize + Rgba.Length;

    /// <summary>True when this message hides the cursor.</summary>
    public bool IsHidden => Width == 0 && Height == 0;

    public override void Encode(ref SpanWriter w)
    {
        TdpFields.CheckCap(Width, TdpLimits.MaxCursorSide, "width");
        TdpFields.CheckCap(Height, TdpLimits.MaxCursorSide, "height");
        if ((Width == 0) != (Height == 0))
        {
            throw new ArgumentException("width and height must both be zero (hide) or both nonzero");
        }
        if (Width != 0 && (HotspotX >= Width || HotspotY >= Height))
        {
            throw new ArgumentException($"hotspot ({HotspotX},{HotspotY}) is outside the {Width}x{Height} cursor");
        }
        if (Rgba.Length != Width * Height * 4)
        {
            throw new ArgumentException($"rgba length {Rgba.Length} does not equal width*height*4 = {Width * Height * 4}", nameof(Rgba));
        }
        w.WriteByte((byte)Type);
        w.WriteUInt16(HotspotX);
        w.WriteUInt16(HotspotY);
        w.WriteUInt16(Width);
        w.WriteUInt16(Height);
        w.WriteUInt32((uint)Rgba.Length);
        w.WriteBytes(Rgba);
    }

    internal static CursorShapeMessage Decode(ref SpanReader r)
    {
        var hotspotAt = r.Position;
        var hotspotX = r.ReadUInt16("hotspot_x");
        var hotspotY = r.ReadUInt16("hotspot_y");
        var widthAt = r.Position;
        var width = r.ReadUInt16("width");
        var height = r.ReadUInt16("height");
        var what = TdpCodec.NameOf(TdpMessageType.CursorShape)!;
        if (width > TdpLimits.MaxCursorSide)
        {
            throw new DecodeException(what, widthAt, $"width {width} exceeds the cap of {TdpLimits.MaxCursorSide}");
        }
        if (height > TdpLimits.MaxCursorSide)
        {
            throw new DecodeException(what, widthAt + 2, $"height {height} exceeds the cap of {TdpLimits.MaxCursorSide}");
        }
        if ((width == 0) != (height == 0))
        {
            throw new DecodeException(what, widthAt, "width and height must both be zero (hide) or both nonzero");
        }
        if (width != 0 && (hotspotX >= width || hotspotY >= height))
        {
            throw new DecodeException(what, hotspotAt, $"hotspot ({hotspotX},{hotspotY}) is outside the {width}x{height} cursor");
        }
        var lengthAt = r.Position;
        var length = r.ReadLength32(TdpLimits.MaxCursorBytes, "data_length");
        var expected = width * height * 4;
        if (length != expected)
        {
            throw new DecodeException(what, lengthAt, $"data_length {length} does not equal width*height*4 = {expected}");
        }
        return new(hotspotX, hotspotY, width, height, r.ReadSpan(length, "rgba").ToArray());
    }
}
