using System.Buffers.Binary;
using System.Text;

namespace Oriel.Integration.Tests.Peers;

/// <summary>Writes small XWD files (X11 XWDFile.h layout) for reader tests.</summary>
internal static class XwdBuilder
{
    public static byte[] Build(
        int width, int height, int bitsPerPixel, bool msbFirst, uint visualClass,
        uint redMask, uint greenMask, uint blueMask,
        (uint Pixel, ushort R, ushort G, ushort B)[] colors,
        Func<int, int, uint> pixel, string name = "t", int rowPadding = 0)
    {
        var nameBytes = Encoding.ASCII.GetBytes(name + "\0");
        var headerSize = 100 + nameBytes.Length;
        var bytesPerPixel = bitsPerPixel / 8;
        var bytesPerLine = width * bytesPerPixel + rowPadding;
        var file = new byte[headerSize + colors.Length * 12 + bytesPerLine * height];
        uint[] fields =
        [
            (uint)headerSize, 7, 2, bitsPerPixel == 32 ? 24u : (uint)bitsPerPixel, (uint)width, (uint)height, 0,
            msbFirst ? 1u : 0u, 32, msbFirst ? 1u : 0u, 32, (uint)bitsPerPixel, (uint)bytesPerLine, visualClass,
            redMask, greenMask, blueMask, 8, (uint)Math.Max(colors.Length, 1), (uint)colors.Length,
            (uint)width, (uint)height, 0, 0, 0,
        ];
        for (var i = 0; i < fields.Length; i++) BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(i * 4), fields[i]);
        nameBytes.CopyTo(file, 100);
        var at = headerSize;
        foreach (var c in colors)
        {
            BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(at), c.Pixel);
            BinaryPrimitives.WriteUInt16BigEndian(file.AsSpan(at + 4), c.R);
            BinaryPrimitives.WriteUInt16BigEndian(file.AsSpan(at + 6), c.G);
            BinaryPrimitives.WriteUInt16BigEndian(file.AsSpan(at + 8), c.B);
            file[at + 10] = 7;
            at += 12;
        }
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var v = pixel(x, y);
                var p = file.AsSpan(at + y * bytesPerLine + x * bytesPerPixel, bytesPerPixel);
                for (var i = 0; i < bytesPerPixel; i++)
                {
                    var shift = 8 * (msbFirst ? bytesPerPixel - 1 - i : i);
                    p[i] = (byte)(v >> shift);
                }
            }
        }
        return file;
    }
}
