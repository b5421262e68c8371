using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Oriel.Graphics;

public sealed partial class PngEncoder
{
    /// <summary>0x00RRGGBB pixels to R, G, B bytes (PNG sample order, 7.1). 4 pixels per shuffle where SSSE3 exists.</summary>
    internal static void ConvertRow(ReadOnlySpan<uint> pixels, Span<byte> rgb)
    {
        var n = pixels.Length;
        if (rgb.Length < n * 3) throw new ArgumentException("rgb row too short", nameof(rgb));
        ref var src = ref Unsafe.As<uint, byte>(ref MemoryMarshal.GetReference(pixels));
        ref var dst = ref MemoryMarshal.GetReference(rgb);
        var i = 0;
        if (Ssse3.IsSupported)
        {
            // Little-endian memory holds B, G, R, 0 per pixel; pick R, G, B and drop the fourth byte.
            var mask = Vector128.Create((byte)2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, 0x80, 0x80, 0x80, 0x80);
            // Each store writes 16 bytes of which 12 are kept: stop while 4 spare bytes remain in the row.
            for (; i + 6 <= n; i += 4)
            {
                var v = Vector128.LoadUnsafe(ref src, (nuint)(i * 4));
                Ssse3.Shuffle(v, mask).StoreUnsafe(ref dst, (nuint)(i * 3));
            }
        }
        for (; i < n; i++)
        {
            var p = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref src, i * 4));
            Unsafe.Add(ref dst, i * 3) = (byte)(p >> 16);
            Unsafe.Add(ref dst, (i * 3) + 1) = (byte)(p >> 8);
            Unsafe.Add(ref dst, (i * 3) + 2) = (byte)p;
        }
    }

    /// <summary>Writes the filter-type byte and the filtered row into <paramref name="dst"/> (length cur.Length + 1).</summary>
    private void FilterRow(PngFilter filter, ReadOnlySpan<byte> cur, ReadOnlySpan<byte> prev, int bpp, Span<byte> dst)
    {
        if (filter == PngFilter.Adaptive)
        {
            filter = ChooseFilter(cur, prev, bpp);
        }
        dst[0] = (byte)filter;
        Apply(filter, cur, prev, bpp, dst[1..]);
    }

    private PngFilter ChooseFilter(ReadOnlySpan<byte> cur, ReadOnlySpan<byte> prev, int bpp)
    {
        var n = cur.Length;
        var best = PngFilter.None;
        var bestSum = SumOfAbsolute(cur);
        var scratch = _candidates.AsSpan(0, n);
        for (var f = PngFilter.Sub; f <= PngFilter.Paeth; f++)
        {
            Apply(f, cur, prev, bpp, scratch);
            var s = SumOfAbsolute(scratch);
            if (s < bestSum)
            {
                bestSum = s;
                best = f;
            }
        }
        return best;
    }

    internal static void Apply(PngFilter filter, ReadOnlySpan<byte> cur, ReadOnlySpan<byte> prev, int bpp, Span<byte> dst)
    {
        switch (filter)
        {
            case PngFilter.None:
                cur.CopyTo(dst);
                break;
            case PngFilter.Sub:
                FilterSub(cur, bpp, dst);
                break;
            case PngFilter.Up:
                FilterUp(cur, prev, dst);
                break;
            case PngFilter.Average:
                FilterAverage(cur, prev, bpp, dst);
                break;
            case PngFilter.Paeth:
                FilterPaeth(cur, prev, bpp, dst);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(filter));
        }
    }

    private static void FilterSub(ReadOnlySpan<byte> cur, int bpp, Span<byte> dst)
    {
        var n = cur.Length;
        var head = Math.Min(bpp, n);
        cur[..head].CopyTo(dst);
        var i = head;
        if (Vector.IsHardwareAccelerated)
        {
            var w = Vector<byte>.Count;
            for (; i + w <= n; i += w)
            {
                (new Vector<byte>(cur[i..]) - new Vector<byte>(cur[(i - bpp)..])).CopyTo(dst[i..]);
            }
        }
        for (; i < n; i++) dst[i] = (byte)(cur[i] - cur[i - bpp]);
    }

    private static void FilterUp(ReadOnlySpan<byte> cur, ReadOnlySpan<byte> prev, Span<byte> dst)
    {
        var n = cur.Length;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var w = Vector<byte>.Count;
            for (; i + w <= n; i += w)
            {
                (new Vector<byte>(cur[i..]) - new Vector<byte>(prev[i..])).CopyTo(dst[i..]);
            }
        }
        for (; i < n; i++) dst[i] = (byte)(cur[i] - prev[i]);
    }

    private static void FilterAverage(ReadOnlySpan<byte> cur, ReadOnlySpan<byte> prev, int bpp, Span<byte> dst)
    {
        var n = cur.Length;
        var i = 0;
        for (; i < bpp && i < n; i++) dst[i] = (byte)(cur[i] - (prev[i] >> 1));
        for (; i < n; i++) dst[i] = (byte)(cur[i] - ((cur[i - bpp] + prev[i]) >> 1));
    }

    private static void FilterPaeth(ReadOnlySpan<byte> cur, ReadOnlySpan<byte> prev, int bpp, Span<byte> dst)
    {
        var n = cur.Length;
        var i = 0;
        for (; i < bpp && i < n; i++) dst[i] = (byte)(cur[i] - prev[i]); // left and upper-left are 0: Paeth picks above
        for (; i < n; i++) dst[i] = (byte)(cur[i] - Paeth(cur[i - bpp], prev[i], prev[i - bpp]));
    }

    /// <summary>The Paeth predictor (PNG 3rd edition, 9.4).</summary>
    internal static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        if (pa <= pb && pa <= pc) return a;
        return pb <= pc ? b : c;
    }

    /// <summary>Sum over the bytes of |byte as signed|: the heuristic of PNG 3rd edition, 12.8.</summary>
    internal static long SumOfAbsolute(ReadOnlySpan<byte> row)
    {
        long sum = 0;
        var i = 0;
        if (Sse2.IsSupported)
        {
            var acc = Vector128<ulong>.Zero;
            for (; i + 16 <= row.Length; i += 16)
            {
                var v = Vector128.Create(row.Slice(i, 16));
                // |(sbyte)x| as an unsigned byte is min(x, 256 - x).
                var abs = Vector128.Min(v, Vector128<byte>.Zero - v);
                acc += Sse2.SumAbsoluteDifferences(abs, Vector128<byte>.Zero).AsUInt64();
            }
            sum = (long)(acc.GetElement(0) + acc.GetElement(1));
        }
        for (; i < row.Length; i++)
        {
            var b = row[i];
            sum += b < 128 ? b : 256 - b;
        }
        return sum;
    }
}
