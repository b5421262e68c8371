using System.Buffers.Binary;
using Oriel.Graphics;
using Oriel.Wire;

namespace Oriel.Rfb.Encodings;

/// <summary>
/// ZRLE encoding, [RFC 6143] 7.7.6: length u32, then that many bytes of zlib data from the one
/// zlib stream of the connection; inflated, it is 64x64 tiles left to right, top to bottom, each
/// as in <see cref="RleTile"/>. Compressed bytes are staged as they arrive (and counted as
/// consumed); the block is inflated and drawn once it is complete.
/// </summary>
public sealed class ZrleDecoder : IRectangleDecoder
{
    /// <summary>Largest compressed block accepted.</summary>
    public const int MaxBlockLength = 64 * 1024 * 1024;

    /// <summary>Largest inflated rectangle accepted.</summary>
    public const int MaxInflatedLength = 128 * 1024 * 1024;

    private const int TileSide = 64;
    private const string What = "ZRLE";

    private readonly ZlibBlockInflater _inflater = new();
    private readonly uint[] _palette = new uint[RleTile.MaxPalette];
    private byte[] _inflated = new byte[64 * 1024];
    private Rect _rect;
    private bool _haveLength;
    private int _remaining;
    private bool _done;

    public int EncodingType => RfbEncodingType.Zrle;

    public void Begin(Rect rect, RectangleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        DecoderChecks.RequireInside(rect, context, "ZRLE rectangle");
        _rect = rect;
        _haveLength = false;
        _remaining = 0;
        _done = false;
    }

    public int Decode(ReadOnlySpan<byte> input, RectangleContext context, out bool complete)
    {
        ArgumentNullException.ThrowIfNull(context);
        var consumed = 0;
        if (_done)
        {
            complete = true;
            return 0;
        }
        if (!_haveLength)
        {
            if (input.Length < 4)
            {
                complete = false;
                return 0;
            }
            var length = BinaryPrimitives.ReadUInt32BigEndian(input);
            if (length > MaxBlockLength)
            {
                throw new DecodeException(What, 0, $"zlib block length {length} exceeds the cap of {MaxBlockLength}");
            }
            _remaining = (int)length;
            _haveLength = true;
            consumed = 4;
        }
        var take = Math.Min(_remaining, input.Length - consumed);
        if (take > 0)
        {
            _inflater.Append(input.Slice(consumed, take));
            consumed += take;
            _remaining -= take;
        }
        if (_remaining > 0)
        {
            complete = false;
            return consumed;
        }
        DrawBlock(context);
        _done = true;
        complete = true;
        return consumed;
    }

    private void DrawBlock(RectangleContext context)
    {
        var cp = CompactPixel.ForCPixel(context.Pixels);
        var tilesAcross = (_rect.Width + TileSide - 1) / TileSide;
        var tilesDown = (_rect.Height + TileSide - 1) / TileSide;
        var bound = (long)tilesAcross * tilesDown * (1 + RleTile.MaxPalette * 4) + _rect.Area * (cp.Size + 1) + 16;
        var cap = (int)Math.Min(bound, MaxInflatedLength);
        var length = _inflater.InflateAll(ref _inflated, cap, What);
        var data = _inflated.AsSpan(0, length);
        var fb = context.Framebuffer;
        var pos = 0;
        var paletteSize = 0;
        for (var ty = 0; ty < _rect.Height; ty += TileSide)
        {
            var th = Math.Min(TileSide, _rect.Height - ty);
            for (var tx = 0; tx < _rect.Width; tx += TileSide)
            {
                var tw = Math.Min(TileSide, _rect.Width - tx);
                var tile = new Rect(_rect.X + tx, _rect.Y + ty, tw, th);
                var used = RleTile.Decode(data[pos..], fb, tile, cp, _palette, ref paletteSize, trle: false, What);
                if (used < 0)
                {
                    throw new DecodeException(What, pos, $"inflated data ends inside tile {tile}");
                }
                pos += used;
            }
        }
        if (pos != length)
        {
            throw new DecodeException(What, pos, $"{length - pos} inflated bytes left after the last tile");
        }
        if (!_rect.IsEmpty)
        {
            context.Sink.Damaged(_rect);
        }
    }

    public void Reset()
    {
        _inflater.Reset();
        _done = true;
    }
}
