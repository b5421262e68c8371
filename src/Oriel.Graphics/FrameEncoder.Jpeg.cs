namespace Oriel.Graphics;

/// <summary>Choosing PNG or JPEG per tile.</summary>
public sealed partial class FrameEncoder
{
    private const int ColourSlots = 1024; // open addressing for at most 257 colours
    private const uint Occupied = 0xFF000000u;
    private readonly uint[] _colourSlots = new uint[ColourSlots];

    /// <summary>
    /// Encodes one tile into <paramref name="buffer"/> as PNG or, where it pays, JPEG. JPEG is
    /// considered only when enabled, the tile is at least <see cref="FrameEncoderOptions.JpegMinSide"/>
    /// on both sides, it is not being refined, and it has over 256 colours (else palette PNG is small
    /// and exact). Photo-like tiles go straight to JPEG; others are PNG-encoded first and also
    /// JPEG-encoded when the PNG is larger than <see cref="FrameEncoderOptions.JpegFallbackBytesPerPixel"/>,
    /// and the smaller is kept (the other's bytes stay unused in the buffer).
    /// </summary>
    private EncodedTileFormat EncodeTile(Framebuffer framebuffer, Rect box, bool pngOnly, PooledBufferWriter buffer, out int offset, out int length)
    {
        offset = buffer.WrittenCount;
        var jpeg = _options.JpegEncoder;
        if (pngOnly || jpeg is null || _options.JpegQuality == 0 || box.Width < _options.JpegMinSide || box.Height < _options.JpegMinSide)
        {
            length = _png.Encode(framebuffer, box, buffer);
            return EncodedTileFormat.Png;
        }
        var kind = Classify(framebuffer, box);
        if (kind == ContentKind.Photo)
        {
            length = jpeg(framebuffer, box, _options.JpegQuality, buffer);
            return EncodedTileFormat.Jpeg;
        }
        length = _png.Encode(framebuffer, box, buffer);
        if (kind == ContentKind.FewColours || length <= _options.JpegFallbackBytesPerPixel * box.Area) return EncodedTileFormat.Png;
        var jpegOffset = buffer.WrittenCount;
        var jpegLength = jpeg(framebuffer, box, _options.JpegQuality, buffer);
        if (jpegLength >= length) return EncodedTileFormat.Png;
        offset = jpegOffset;
        length = jpegLength;
        return EncodedTileFormat.Jpeg;
    }

    private enum ContentKind
    {
        /// <summary>At most 256 colours: palette PNG is exact and small.</summary>
        FewColours,

        /// <summary>Many colours but also many runs (UI with gradients, anti-aliased text): PNG first.</summary>
        Mixed,

        /// <summary>Many colours and few pixels repeating a neighbour (photos, video, noise): JPEG.</summary>
        Photo,
    }

    /// <summary>
    /// A cheap estimate in one pass: counts distinct colours up to 257 and the pixels
    /// equal to their left or upper neighbour. Text, flat panels and UI repeat neighbours on most pixels;
    /// photographs, smooth shading and noise on few.
    /// </summary>
    private ContentKind Classify(Framebuffer framebuffer, Rect area)
    {
        Array.Clear(_colourSlots);
        var colours = 0;
        long repeats = 0;
        var area2 = (long)area.Width * area.Height;
        ReadOnlySpan<uint> above = default;
        for (var y = area.Y; y < area.Bottom; y++)
        {
            var row = framebuffer.Row(y).Slice(area.X, area.Width);
            for (var x = 0; x < row.Length; x++)
            {
                var p = row[x];
                if ((x > 0 && p == row[x - 1]) || (!above.IsEmpty && p == above[x]))
                {
                    repeats++;
                    continue;
                }
                if (colours > 256) continue;
                var key = p | Occupied;
                var slot = (int)((key * 0x9E3779B1u) >> 22);
                while (true)
                {
                    var k = _colourSlots[slot];
                    if (k == key) break;
                    if (k == 0)
                    {
                        _colourSlots[slot] = key;
                        colours++;
                        break;
                    }
                    slot = (slot + 1) & (ColourSlots - 1);
                }
            }
            above = row;
        }
        if (colours <= 256) return ContentKind.FewColours;
        return repeats * 2 > area2 ? ContentKind.Mixed : ContentKind.Photo;
    }
}
