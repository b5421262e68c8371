using Oriel.Wire;

namespace Oriel.Recording;

/// <summary>
/// Unsigned LEB128 integers as the stream recording format uses them (docs/recording.md, "Integers"):
/// seven bits per byte, least significant group first, the high bit set on every byte but the last.
/// At most <see cref="MaxLength"/> bytes (63 bits), and only the shortest form is accepted, so every
/// value has exactly one encoding.
/// </summary>
internal static class Varint
{
    /// <summary>Nine bytes carry 63 bits: every value fits a non-negative <see cref="long"/>.</summary>
    public const int MaxLength = 9;

    public static int Size(ulong value)
    {
        var n = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            n++;
        }
        return n;
    }

    public static void Write(ref SpanWriter writer, ulong value)
    {
        if (value > long.MaxValue) throw new ArgumentOutOfRangeException(nameof(value), "varints carry at most 63 bits");
        while (value >= 0x80)
        {
            writer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        writer.WriteByte((byte)value);
    }

    public static int Write(Span<byte> destination, ulong value)
    {
        var w = new SpanWriter(destination);
        Write(ref w, value);
        return w.Position;
    }

    /// <summary>
    /// Parses a varint at the start of <paramref name="input"/>. False when the input ends before the
    /// last byte; <see cref="DecodeException"/> (at <paramref name="baseOffset"/> + position) when it is
    /// longer than <see cref="MaxLength"/> bytes or not in its shortest form.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> input, long baseOffset, string what, string field, out long value, out int length)
    {
        ulong v = 0;
        for (var i = 0; i < MaxLength; i++)
        {
            if (i >= input.Length)
            {
                value = 0;
                length = 0;
                return false;
            }
            var b = input[i];
            v |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                if (b == 0 && i > 0) throw new DecodeException(what, baseOffset + i, $"{field} is not in its shortest form");
                value = (long)v;
                length = i + 1;
                return true;
            }
        }
        throw new DecodeException(what, baseOffset, $"{field} is longer than {MaxLength} bytes");
    }

    /// <summary>Reads a varint from a complete message; running out of bytes is a <see cref="DecodeException"/>.</summary>
    public static long Read(ref SpanReader reader, string field)
    {
        ulong v = 0;
        for (var i = 0; i < MaxLength; i++)
        {
            var b = reader.ReadByte(field);
            v |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                if (b == 0 && i > 0) throw reader.Error($"{field} is not in its shortest form");
                return (long)v;
            }
        }
        throw reader.Error($"{field} is longer than {MaxLength} bytes");
    }

    /// <summary>Reads a varint that must not exceed <paramref name="cap"/>.</summary>
    public static int ReadLength(ref SpanReader reader, int cap, string field)
    {
        var v = Read(ref reader, field);
        if (v > cap) throw reader.Error($"{field} {v} exceeds the cap of {cap}");
        return (int)v;
    }
}
