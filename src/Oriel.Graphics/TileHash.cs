using System.Numerics;
using System.Runtime.InteropServices;

namespace Oriel.Graphics;

/// <summary>
/// A fast 64-bit, non-cryptographic hash of a rectangle of pixels, used to notice that a tile
/// the viewer already shows has not changed. Four independent multiply-rotate lanes over
/// 32-byte blocks, then a final avalanche. The seed is an input so a caller may randomise it.
/// </summary>
internal static class TileHash
{
    private const ulong P1 = 0x9E3779B185EBCA87UL;
    private const ulong P2 = 0xC2B2AE3D27D4EB4FUL;
    private const ulong P3 = 0x165667B19E3779F9UL;

    public static ulong Compute(Framebuffer framebuffer, Rect area, ulong seed)
    {
        var a = seed + P1;
        var b = seed ^ P2;
        var c = seed - P3;
        var d = seed * P1;
        for (var y = area.Y; y < area.Bottom; y++)
        {
            var row = MemoryMarshal.AsBytes(framebuffer.Row(y).Slice(area.X, area.Width));
            var words = MemoryMarshal.Cast<byte, ulong>(row);
            var i = 0;
            for (; i + 4 <= words.Length; i += 4)
            {
                a = Round(a, words[i]);
                b = Round(b, words[i + 1]);
                c = Round(c, words[i + 2]);
                d = Round(d, words[i + 3]);
            }
            for (; i < words.Length; i++) a = Round(a, words[i]);
            if ((row.Length & 7) != 0) b = Round(b, MemoryMarshal.Read<uint>(row[^4..]));
            c = Round(c, (ulong)y); // row boundaries matter: a shifted split of the same bytes hashes differently
        }
        var h = BitOperations.RotateLeft(a, 1) + BitOperations.RotateLeft(b, 7) + BitOperations.RotateLeft(c, 12) + BitOperations.RotateLeft(d, 18);
        h ^= (ulong)area.Width << 32 | (uint)area.Height;
        h ^= h >> 33;
        h *= P2;
        h ^= h >> 29;
        h *= P3;
        h ^= h >> 32;
        return h;
    }

    private static ulong Round(ulong acc, ulong input)
    {
        acc += input * P2;
        acc = BitOperations.RotateLeft(acc, 31);
        return acc * P1;
    }
}
