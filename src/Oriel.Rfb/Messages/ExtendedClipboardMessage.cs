using System.IO.Compression;
using System.Numerics;
using System.Text;
using Oriel.Wire;

namespace Oriel.Rfb.Messages;

/// <summary>
/// The body of an extended ClientCutText / ServerCutText, rfbproto "Extended Clipboard
/// Pseudo-Encoding": flags u32 (<see cref="ExtendedClipboardFlags"/>), then action data:
/// caps: u32 maximum size per format bit set; provide: a zlib stream of (size u32, data) per
/// format bit set, text being UTF-8 with CRLF line ends and a terminating NUL; others: nothing.
/// </summary>
public sealed record ExtendedClipboardMessage(uint Flags, byte[] Data)
{
    public uint Formats => Flags & ExtendedClipboardFlags.FormatMask;

    public bool Has(uint flag) => (Flags & flag) != 0;

    public int Size => 4 + Data.Length;

    public static ExtendedClipboardMessage Decode(ref SpanReader reader)
    {
        var flags = reader.ReadUInt32("flags");
        return new ExtendedClipboardMessage(flags, reader.ReadSpan(reader.Remaining, "data").ToArray());
    }

    public void Encode(ref SpanWriter writer)
    {
        writer.WriteUInt32(Flags);
        writer.WriteBytes(Data);
    }

    /// <summary>A caps message: <paramref name="flags"/> holds formats and actions; one size per format bit, lowest bit first.</summary>
    public static ExtendedClipboardMessage CreateCaps(uint flags, ReadOnlySpan<uint> sizes)
    {
        var formats = BitOperations.PopCount(flags & ExtendedClipboardFlags.FormatMask);
        if (sizes.Length != formats) throw new ArgumentException("one size per format bit is required", nameof(sizes));
        var data = new byte[4 * formats];
        var w = new SpanWriter(data);
        foreach (var s in sizes) w.WriteUInt32(s);
        return new ExtendedClipboardMessage(flags | ExtendedClipboardFlags.Caps, data);
    }

    public static ExtendedClipboardMessage CreateAction(uint action, uint formats) => new(action | (formats & ExtendedClipboardFlags.FormatMask), []);

    /// <summary>A provide message carrying <paramref name="text"/> (LF line ends become CRLF; a NUL is appended).</summary>
    public static ExtendedClipboardMessage CreateTextProvide(string text)
    {
        var crlf = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);
        var utf8 = Encoding.UTF8.GetBytes(crlf + "\0");
        using var buffer = new MemoryStream();
        using (var z = new ZLibStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            Span<byte> size = stackalloc byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(size, (uint)utf8.Length);
            z.Write(size);
            z.Write(utf8);
        }
        return new ExtendedClipboardMessage(ExtendedClipboardFlags.Provide | ExtendedClipboardFlags.Text, buffer.ToArray());
    }

    /// <summary>The sizes that follow a caps flags word, one per format bit set, lowest first.</summary>
    public uint[] ReadCapsSizes()
    {
        var n = BitOperations.PopCount(Formats);
        var r = new SpanReader(Data, "Extended Clipboard caps");
        var sizes = new uint[n];
        for (var i = 0; i < n; i++) sizes[i] = r.ReadUInt32("size");
        return sizes;
    }

    /// <summary>
    /// Inflates a provide message and returns its text (CRLF turned into LF, NUL terminator removed),
    /// or null when text is not among the provided formats. Never inflates more than
    /// <paramref name="maxTextBytes"/> plus the 4-byte size field; more is refused.
    /// </summary>
    public string? ReadProvidedText(int maxTextBytes)
    {
        if ((Formats & ExtendedClipboardFlags.Text) == 0) return null;
        try
        {
            using var z = new ZLibStream(new MemoryStream(Data, writable: false), CompressionMode.Decompress);
            Span<byte> sizeBytes = stackalloc byte[4];
            if (!ReadFully(z, sizeBytes)) throw new DecodeException("Extended Clipboard provide", "truncated text size");
            var size = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(sizeBytes);
            if (size > (uint)maxTextBytes)
            {
                throw new DecodeException("Extended Clipboard provide", $"text size {size} exceeds the cap of {maxTextBytes}");
            }
            var text = new byte[size];
            if (!ReadFully(z, text)) throw new DecodeException("Extended Clipboard provide", "truncated text");
            var end = text.AsSpan().IndexOf((byte)0);
            var s = Encoding.UTF8.GetString(end >= 0 ? text.AsSpan(0, end) : text);
            return s.Replace("\r\n", "\n", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            // InvalidDataException for bad data; ZLibException (an IOException) for other zlib errors,
            // e.g. a dictionary-id header (FDICT) that inflate refuses with Z_NEED_DICT. Found by afl-fuzz.
            throw new DecodeException("Extended Clipboard provide", $"bad zlib stream: {e.Message}");
        }
    }

    private static bool ReadFully(Stream s, Span<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var n = s.Read(buffer);
            if (n == 0) return false;
            buffer = buffer[n..];
        }
        return true;
    }
}
