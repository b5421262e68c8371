using Oriel.Graphics;
using Oriel.Graphics.Jpeg;
using Oriel.Wire;

namespace Oriel.Rfb.Encodings;

/// <summary>
/// Tight encoding, rfbproto "Tight Encoding": a compression-control byte (low four bits reset
/// zlib streams 0-3; high four bits pick the method), then FillCompression (one TPIXEL),
/// JpegCompression (a compact length of 1-3 bytes, then a JPEG image exactly the rectangle's size,
/// 24-bit colour whatever the pixel format; decoded with <see cref="JpegCodec"/>), BasicCompression
/// (optional filter-id: copy, palette of 1..256 TPIXELs, gradient; the filtered data is sent as
/// is when shorter than 12 bytes, else as a compact length of 1-3 bytes and zlib data on one of
/// four streams) or BasicCompression Without Zlib (filtered data as is). The header is consumed
/// as one unit; data bytes are staged as they arrive and drawn when complete.
/// JPEG needs a codec from the host (the core loads no native code; the gateway's is libjpeg-turbo):
/// without one a JPEG rectangle is a <see cref="DecodeException"/>.
/// </summary>
public sealed class TightDecoder : IRectangleDecoder
{
    /// <summary>Largest filtered (uncompressed) rectangle data accepted.</summary>
    public const int MaxDataSize = 32 * 1024 * 1024;

    /// <summary>Largest value the compact length representation can carry (22 bits).</summary>
    public const int MaxCompactLength = 4194303;

    /// <summary>Filtered data shorter than this is sent without zlib.</summary>
    public const int MinToCompress = 12;

    private const string What = "Tight";
    private const int FilterCopy = 0;
    private const int FilterPalette = 1;
    private const int FilterGradient = 2;

    private static long s_jpegRectangles;

    private readonly ZlibBlockInflater[] _streams = [new(), new(), new(), new()];
    private readonly JpegCodec? _jpeg;
    private readonly uint[] _palette = new uint[256];
    private byte[] _data = new byte[4096];
    private int[] _previousRow = new int[2048 * 3];
    private Rect _rect;
    private Phase _phase;
    private CompactPixel _tpixel;
    private int _filter;
    private int _paletteSize;
    private int _dataSize;
    private int _stream;
    private int _remaining;
    private int _staged;

    /// <summary>Creates a decoder without JPEG: a JpegCompression rectangle is a <see cref="DecodeException"/>.</summary>
    public TightDecoder()
    {
    }

    /// <summary>Creates a decoder that decodes JPEG rectangles with <paramref name="jpeg"/> (not owned; null: no JPEG).</summary>
    public TightDecoder(JpegCodec? jpeg)
    {
        _jpeg = jpeg;
    }

    private enum Phase
    {
        Header,
        RawData,
        CompressedData,
        JpegData,
        Done,
    }

    public int EncodingType => RfbEncodingType.Tight;

    /// <summary>
    /// JPEG rectangles decoded by every Tight decoder in this process (a diagnostic counter; tests
    /// read it before and after a session to prove the server really sent JPEG).
    /// </summary>
    public static long JpegRectanglesDecoded => Interlocked.Read(ref s_jpegRectangles);

    public void Begin(Rect rect, RectangleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        DecoderChecks.RequireInside(rect, context, "Tight rectangle");
        _rect = rect;
        _phase = Phase.Header;
        _tpixel = CompactPixel.ForTPixel(context.Pixels);
    }

    public int Decode(ReadOnlySpan<byte> input, RectangleContext context, out bool complete)
    {
        ArgumentNullException.ThrowIfNull(context);
        var consumed = 0;
        if (_phase == Phase.Header)
        {
            consumed = ParseHeader(input, context);
            if (consumed < 0)
            {
                complete = false;
                return 0;
            }
        }
        if (_phase == Phase.RawData)
        {
            var take = Math.Min(_remaining, input.Length - consumed);
            input.Slice(consumed, take).CopyTo(_data.AsSpan(_staged));
            _staged += take;
            _remaining -= take;
            consumed += take;
            if (_remaining == 0)
            {
                Draw(_data.AsSpan(0, _dataSize), context);
            }
        }
        else if (_phase == Phase.CompressedData)
        {
            var take = Math.Min(_remaining, input.Length - consumed);
            var stream = _streams[_stream];
            stream.Append(input.Slice(consumed, take));
            _remaining -= take;
            consumed += take;
            if (_remaining == 0)
            {
                stream.InflateExactly(_data.AsSpan(0, _dataSize), What);
                Draw(_data.AsSpan(0, _dataSize), context);
            }
        }
        else if (_phase == Phase.JpegData)
        {
            var take = Math.Min(_remaining, input.Length - consumed);
            input.Slice(consumed, take).CopyTo(_data.AsSpan(_staged));
            _staged += take;
            _remaining -= take;
            consumed += take;
            if (_remaining == 0)
            {
                DrawJpeg(_data.AsSpan(0, _staged), context);
            }
        }
        complete = _phase == Phase.Done;
        return consumed;
    }

    /// <summary>Parses the whole header if present; returns its length, or -1 when more bytes are needed.</summary>
    private int ParseHeader(ReadOnlySpan<byte> s, RectangleContext context)
    {
        if (s.Length < 1)
        {
            return -1;
        }
        int control = s[0];
        var method = control >> 4;
        var tps = _tpixel.Size;
        var pos = 1;
        if (method == 0x8)
        {
            if (s.Length < pos + tps)
            {
                return -1;
            }
            ResetStreams(control);
            var colour = _tpixel.Read(s.Slice(pos, tps));
            if (!_rect.IsEmpty)
            {
                context.Framebuffer.Fill(_rect, colour);
                context.Sink.Damaged(_rect);
            }
            _phase = Phase.Done;
            return pos + tps;
        }
        if (method == 0x9)
        {
            return ParseJpegHeader(s, control);
        }
        bool zlib;
        bool readFilter;
        if (method < 0x8)
        {
            zlib = true;
            readFilter = (method & 0x4) != 0;
        }
        else if (method is 0xA or 0xE)
        {
            zlib = false;
            readFilter = method == 0xE;
        }
        else
        {
            throw new DecodeException(What, 0, $"compression-control 0x{control:X2} names no method");
        }

        var filter = FilterCopy;
        if (readFilter)
        {
            if (s.Length < pos + 1)
            {
                return -1;
            }
            filter = s[pos++];
            if (filter > FilterGradient)
            {
                throw new DecodeException(What, pos - 1, $"filter-id {filter} is unknown");
            }
        }
        var paletteSize = 0;
        var paletteAt = 0;
        if (filter == FilterPalette)
        {
            if (s.Length < pos + 1)
            {
                return -1;
            }
            paletteSize = s[pos++] + 1;
            paletteAt = pos;
            pos += paletteSize * tps;
            if (s.Length < pos)
            {
                return -1;
            }
        }

        long dataSize = filter == FilterPalette
            ? (paletteSize == 2 ? (_rect.Width + 7L) / 8 : _rect.Width) * _rect.Height
            : _rect.Area * tps;
        if (dataSize > MaxDataSize)
        {
            throw new DecodeException(What, 0, $"{_rect} needs {dataSize} bytes of pixel data, over the cap of {MaxDataSize}");
        }

        var compressedLength = 0;
        var inline = zlib && dataSize < MinToCompress;
        if (inline)
        {
            if (s.Length < pos + dataSize)
            {
                return -1;
            }
        }
        else if (zlib)
        {
            var lengthBytes = ReadCompactLength(s[pos..], out compressedLength);
            if (lengthBytes < 0)
            {
                return -1;
            }
            pos += lengthBytes;
        }

        // The header is complete: from here on state changes.
        ResetStreams(control);
        _filter = filter;
        _paletteSize = paletteSize;
        for (var i = 0; i < paletteSize; i++)
        {
            _palette[i] = _tpixel.Read(s.Slice(paletteAt + i * tps, tps));
        }
        _dataSize = (int)dataSize;
        if (_data.Length < _dataSize)
        {
            _data = new byte[Math.Max(_dataSize, Math.Min(MaxDataSize, _data.Length * 2))];
        }
        _stream = method & 0x3;
        _staged = 0;
        if (inline)
        {
            Draw(s.Slice(pos, _dataSize), context);
            return pos + _dataSize;
        }
        if (zlib)
        {
            _remaining = compressedLength;
            _phase = Phase.CompressedData;
        }
        else
        {
            _remaining = _dataSize;
            _phase = Phase.RawData;
        }
        return pos;
    }

    /// <summary>
    /// rfbproto "Tight Encoding", compact representation: 1-3 bytes, seven bits each (the third
    /// byte gives eight), least significant first. Returns the bytes used, or -1 when more are needed.
    /// </summary>
    internal static int ReadCompactLength(ReadOnlySpan<byte> s, out int length)
    {
        length = 0;
        if (s.Length < 1)
        {
            return -1;
        }
        int b = s[0];
        var value = b & 0x7F;
        if ((b & 0x80) == 0)
        {
            length = value;
            return 1;
        }
        if (s.Length < 2)
        {
            return -1;
        }
        b = s[1];
        value |= (b & 0x7F) << 7;
        if ((b & 0x80) == 0)
        {
            length = value;
            return 2;
        }
        if (s.Length < 3)
        {
            return -1;
        }
        length = value | s[2] << 14;
        return 3;
    }

    /// <summary>JpegCompression: the control byte, a compact length, then that many bytes of JPEG.</summary>
    private int ParseJpegHeader(ReadOnlySpan<byte> s, int control)
    {
        var lengthBytes = ReadCompactLength(s[1..], out var length);
        if (lengthBytes < 0)
        {
            return -1;
        }
        // The compact length carries at most 22 bits, so this cap also bounds the staging buffer.
        DecodeException.ThrowIfOverCap("Tight JPEG length", length, MaxCompactLength);
        if (length == 0)
        {
            throw new DecodeException(What, 1, "JPEG data of length 0");
        }
        ResetStreams(control);
        if (_data.Length < length)
        {
            _data = new byte[Math.Max(length, Math.Min(MaxCompactLength, _data.Length * 2))];
        }
        _staged = 0;
        _remaining = length;
        _phase = Phase.JpegData;
        return 1 + lengthBytes;
    }

    private void DrawJpeg(ReadOnlySpan<byte> jpeg, RectangleContext context)
    {
        _phase = Phase.Done;
        if (_rect.IsEmpty)
        {
            return;
        }
        if (_jpeg is null)
        {
            throw new DecodeException(What, 0, "a JPEG rectangle arrived but no JPEG codec was given (the host provides one only when it has a JPEG library)");
        }
        _jpeg.Decode(jpeg, context.Framebuffer, _rect);
        Interlocked.Increment(ref s_jpegRectangles);
        context.Sink.Damaged(_rect);
    }

    private void ResetStreams(int control)
    {
        for (var i = 0; i < 4; i++)
        {
            if ((control & (1 << i)) != 0)
            {
                _streams[i].Reset();
            }
        }
    }

    private void Draw(ReadOnlySpan<byte> data, RectangleContext context)
    {
        _phase = Phase.Done;
        if (_rect.IsEmpty)
        {
            return;
        }
        var fb = context.Framebuffer;
        var w = _rect.Width;
        switch (_filter)
        {
            case FilterCopy:
            {
                var rowBytes = w * _tpixel.Size;
                for (var y = 0; y < _rect.Height; y++)
                {
                    _tpixel.ReadRow(data.Slice(y * rowBytes, rowBytes), fb.Row(_rect.Y + y).Slice(_rect.X, w));
                }
                break;
            }
            case FilterPalette:
                DrawPalette(data, fb);
                break;
            default:
                DrawGradient(data, fb);
                break;
        }
        context.Sink.Damaged(_rect);
    }

    private void DrawPalette(ReadOnlySpan<byte> data, Framebuffer fb)
    {
        var w = _rect.Width;
        var n = _paletteSize;
        if (n == 2)
        {
            var rowBytes = (w + 7) / 8;
            var c0 = _palette[0];
            var c1 = _palette[1];
            for (var y = 0; y < _rect.Height; y++)
            {
                var row = fb.Row(_rect.Y + y).Slice(_rect.X, w);
                var bits = data.Slice(y * rowBytes, rowBytes);
                for (var x = 0; x < w; x++)
                {
                    row[x] = ((bits[x >> 3] >> (7 - (x & 7))) & 1) != 0 ? c1 : c0;
                }
            }
            return;
        }
        for (var y = 0; y < _rect.Height; y++)
        {
            var row = fb.Row(_rect.Y + y).Slice(_rect.X, w);
            var indices = data.Slice(y * w, w);
            for (var x = 0; x < w; x++)
            {
                int index = indices[x];
                if (index >= n)
                {
                    throw new DecodeException(What, y * w + x, $"palette index {index} beyond a palette of {n}");
                }
                row[x] = _palette[index];
            }
        }
    }

    private void DrawGradient(ReadOnlySpan<byte> data, Framebuffer fb)
    {
        var w = _rect.Width;
        if (_previousRow.Length < w * 3)
        {
            _previousRow = new int[w * 3];
        }
        var prev = _previousRow.AsSpan(0, w * 3);
        prev.Clear();
        if (_tpixel.IsRgb)
        {
            for (var y = 0; y < _rect.Height; y++)
            {
                var row = fb.Row(_rect.Y + y).Slice(_rect.X, w);
                var src = data.Slice(y * w * 3, w * 3);
                int l0 = 0, l1 = 0, l2 = 0, ul0 = 0, ul1 = 0, ul2 = 0;
                for (var x = 0; x < w; x++)
                {
                    var o = x * 3;
                    int u0 = prev[o], u1 = prev[o + 1], u2 = prev[o + 2];
                    var v0 = (Math.Clamp(l0 + u0 - ul0, 0, 255) + src[o]) & 0xFF;
                    var v1 = (Math.Clamp(l1 + u1 - ul1, 0, 255) + src[o + 1]) & 0xFF;
                    var v2 = (Math.Clamp(l2 + u2 - ul2, 0, 255) + src[o + 2]) & 0xFF;
                    prev[o] = v0;
                    prev[o + 1] = v1;
                    prev[o + 2] = v2;
                    ul0 = u0;
                    ul1 = u1;
                    ul2 = u2;
                    l0 = v0;
                    l1 = v1;
                    l2 = v2;
                    row[x] = (uint)(v0 << 16 | v1 << 8 | v2);
                }
            }
            return;
        }

        var pixels = _tpixel.Pixels;
        var f = pixels.Format;
        var bpp = pixels.BytesPerPixel;
        Span<int> max = [f.RedMax, f.GreenMax, f.BlueMax];
        Span<int> shift = [f.RedShift, f.GreenShift, f.BlueShift];
        Span<int> left = stackalloc int[3];
        Span<int> upLeft = stackalloc int[3];
        for (var y = 0; y < _rect.Height; y++)
        {
            var row = fb.Row(_rect.Y + y).Slice(_rect.X, w);
            var src = data.Slice(y * w * bpp, w * bpp);
            left.Clear();
            upLeft.Clear();
            for (var x = 0; x < w; x++)
            {
                var diff = pixels.ReadRaw(src.Slice(x * bpp, bpp));
                uint raw = 0;
                for (var c = 0; c < 3; c++)
                {
                    var up = prev[x * 3 + c];
                    var predicted = Math.Clamp(left[c] + up - upLeft[c], 0, max[c]);
                    var d = (int)((diff >> shift[c]) & (uint)max[c]);
                    var v = (predicted + d) % (max[c] + 1);
                    prev[x * 3 + c] = v;
                    upLeft[c] = up;
                    left[c] = v;
                    raw |= (uint)v << shift[c];
                }
                row[x] = pixels.ToRgb(raw);
            }
        }
    }

    public void Reset()
    {
        foreach (var s in _streams)
        {
            s.Reset();
        }
        _phase = Phase.Done;
    }
}
