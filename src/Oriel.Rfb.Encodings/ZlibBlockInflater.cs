using System.IO.Compression;
using Oriel.Wire;

namespace Oriel.Rfb.Encodings;

/// <summary>
/// One zlib stream of an RFB connection (ZRLE has one, Tight four). Compressed bytes are staged
/// with <see cref="Append"/>; the inflater is only run once a whole length-prefixed block has been
/// staged, so a partial block never reaches it. Corrupt data becomes a <see cref="DecodeException"/>.
/// </summary>
internal sealed class ZlibBlockInflater
{
    private readonly FeedStream _feed = new();
    private readonly byte[] _probe = new byte[1];
    private ZLibStream? _zlib;

    /// <summary>Compressed bytes staged but not yet inflated.</summary>
    public int Staged => _feed.Available;

    public void Append(ReadOnlySpan<byte> compressed) => _feed.Append(compressed);

    /// <summary>Forgets the stream (a reset bit, or a new connection).</summary>
    public void Reset()
    {
        _zlib?.Dispose();
        _zlib = null;
        _feed.Clear();
    }

    /// <summary>Inflates exactly destination.Length bytes from the staged block; fewer or more is malformed.</summary>
    public void InflateExactly(Span<byte> destination, string what)
    {
        var n = ReadAll(destination, what);
        if (n < destination.Length)
        {
            throw new DecodeException(what, $"zlib block inflated to {n} bytes, {destination.Length} expected");
        }
        if (ReadAll(_probe, what) != 0)
        {
            throw new DecodeException(what, $"zlib block inflated to more than the {destination.Length} bytes expected");
        }
    }

    /// <summary>Inflates everything the staged block yields into <paramref name="buffer"/> (grown, never beyond <paramref name="cap"/>); returns the length.</summary>
    public int InflateAll(ref byte[] buffer, int cap, string what)
    {
        var total = 0;
        while (true)
        {
            if (total == buffer.Length)
            {
                if (buffer.Length >= cap)
                {
                    if (ReadAll(_probe, what) != 0)
                    {
                        throw new DecodeException(what, $"zlib block inflates to more than the cap of {cap} bytes");
                    }
                    return total;
                }
                var next = new byte[(int)Math.Min(cap, Math.Max(4096L, buffer.Length * 2L))];
                buffer.AsSpan(0, total).CopyTo(next);
                buffer = next;
            }
            var n = ReadSome(buffer.AsSpan(total), what);
            if (n == 0)
            {
                return total;
            }
            total += n;
        }
    }

    private int ReadAll(Span<byte> destination, string what)
    {
        var total = 0;
        while (total < destination.Length)
        {
            var n = ReadSome(destination[total..], what);
            if (n == 0)
            {
                break;
            }
            total += n;
        }
        return total;
    }

    private int ReadSome(Span<byte> destination, string what)
    {
        _zlib ??= new ZLibStream(_feed, CompressionMode.Decompress, leaveOpen: true);
        try
        {
            return _zlib.Read(destination);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            // InvalidDataException for bad data; ZLibException (an IOException) for other zlib errors.
            throw new DecodeException(what, $"corrupt zlib data: {e.Message}");
        }
    }
}
