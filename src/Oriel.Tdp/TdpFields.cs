using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;
using Oriel.Wire;

namespace Oriel.Tdp;

/// <summary>Field readers and encode-side checks shared by the message types. Reasons match the TypeScript codec.</summary>
internal static class TdpFields
{
    // Readers validate a field by peeking at it first, so the exception's offset is the field's start.

    /// <summary>A byte that must be at most <paramref name="max"/> (an enum on the wire).</summary>
    public static byte ReadEnum(ref SpanReader r, byte max, string field)
    {
        if (r.Remaining >= 1 && r.RemainingSpan[0] > max)
        {
            throw r.Error($"invalid {field} {r.RemainingSpan[0]}");
        }
        return r.ReadByte(field);
    }

    /// <summary>A uint32 screen side that must be 1..<see cref="TdpLimits.MaxScreenSide"/>.</summary>
    public static uint ReadScreenSide(ref SpanReader r, string field)
    {
        if (r.Remaining >= 4)
        {
            var v = BinaryPrimitives.ReadUInt32BigEndian(r.RemainingSpan);
            if (v is < 1 or > TdpLimits.MaxScreenSide)
            {
                throw r.Error($"{field} {v} is outside 1..{TdpLimits.MaxScreenSide}");
            }
        }
        return r.ReadUInt32(field);
    }

    /// <summary>A uint16 that must be <paramref name="min"/>..<paramref name="max"/>.</summary>
    public static ushort ReadRange16(ref SpanReader r, int min, int max, string field)
    {
        if (r.Remaining >= 2)
        {
            var v = BinaryPrimitives.ReadUInt16BigEndian(r.RemainingSpan);
            if (v < min || v > max)
            {
                throw r.Error($"{field} {v} is outside {min}..{max}");
            }
        }
        return r.ReadUInt16(field);
    }

    /// <summary>Bytes that must be valid UTF-8, copied out.</summary>
    public static byte[] ReadUtf8Bytes(ref SpanReader r, int count, string field)
    {
        if (r.Remaining >= count && !Utf8.IsValid(r.RemainingSpan[..count]))
        {
            throw r.Error($"{field} is not valid UTF-8");
        }
        return r.ReadSpan(count, field).ToArray();
    }

    public static void CheckScreenSide(uint v, string field)
    {
        if (v is < 1 or > TdpLimits.MaxScreenSide)
        {
            throw new ArgumentOutOfRangeException(field, v, $"{field} must be 1..{TdpLimits.MaxScreenSide}");
        }
    }

    public static void CheckRange(int v, int min, int max, string field)
    {
        if (v < min || v > max)
        {
            throw new ArgumentOutOfRangeException(field, v, $"{field} must be {min}..{max}");
        }
    }

    public static void CheckCap(long length, int cap, string field)
    {
        if (length > cap)
        {
            throw new ArgumentException($"{field} {length} exceeds the cap of {cap}", field);
        }
    }

    public static void CheckEnum(byte v, byte max, string field)
    {
        if (v > max)
        {
            throw new ArgumentOutOfRangeException(field, v, $"invalid {field} {v}");
        }
    }

    /// <summary>UTF-8 byte count of <paramref name="s"/> (lone surrogates count as U+FFFD, as they are encoded).</summary>
    public static int Utf8Length(string s) => Encoding.UTF8.GetByteCount(s);
}
