using System.Buffers.Binary;
using System.Text;

namespace Oriel.Wire;

/// <summary>
/// Reads fields from a span of untrusted bytes. Big-endian unless the method name says LE.
/// Running past the end throws <see cref="DecodeException"/>; use <see cref="Remaining"/>
/// first when "not enough bytes yet" is a normal condition (framing).
/// </summary>
public ref struct SpanReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private readonly string _what;
    private int _position;

    public SpanReader(ReadOnlySpan<byte> buffer, string what = "message")
    {
        _buffer = buffer;
        _what = what;
        _position = 0;
    }

    public readonly int Position => _position;
    public readonly int Remaining => _buffer.Length - _position;
    public readonly int Length => _buffer.Length;
    public readonly ReadOnlySpan<byte> RemainingSpan => _buffer[_position..];

    public readonly DecodeException Error(string why) => new(_what, _position, why);

    private void Need(int count, string field)
    {
        if (count < 0 || _buffer.Length - _position < count)
        {
            throw new DecodeException(_what, _position, $"truncated: {field} needs {count} bytes, {Remaining} left");
        }
    }

    public byte ReadByte(string field = "byte")
    {
        Need(1, field);
        return _buffer[_position++];
    }

    public sbyte ReadSByte(string field = "int8") => unchecked((sbyte)ReadByte(field));

    public bool ReadBool(string field = "bool") => ReadByte(field) != 0;

    public ushort ReadUInt16(string field = "uint16")
    {
        Need(2, field);
        var v = BinaryPrimitives.ReadUInt16BigEndian(_buffer[_position..]);
        _position += 2;
        return v;
    }

    public short ReadInt16(string field = "int16") => unchecked((short)ReadUInt16(field));

    public uint ReadUInt32(string field = "uint32")
    {
        Need(4, field);
        var v = BinaryPrimitives.ReadUInt32BigEndian(_buffer[_position..]);
        _position += 4;
        return v;
    }

    public int ReadInt32(string field = "int32") => unchecked((int)ReadUInt32(field));

    public ulong ReadUInt64(string field = "uint64")
    {
        Need(8, field);
        var v = BinaryPrimitives.ReadUInt64BigEndian(_buffer[_position..]);
        _position += 8;
        return v;
    }

    public long ReadInt64(string field = "int64") => unchecked((long)ReadUInt64(field));

    public ushort ReadUInt16LE(string field = "uint16le")
    {
        Need(2, field);
        var v = BinaryPrimitives.ReadUInt16LittleEndian(_buffer[_position..]);
        _position += 2;
        return v;
    }

    public uint ReadUInt32LE(string field = "uint32le")
    {
        Need(4, field);
        var v = BinaryPrimitives.ReadUInt32LittleEndian(_buffer[_position..]);
        _position += 4;
        return v;
    }

    public ulong ReadUInt64LE(string field = "uint64le")
    {
        Need(8, field);
        var v = BinaryPrimitives.ReadUInt64LittleEndian(_buffer[_position..]);
        _position += 8;
        return v;
    }

    /// <summary>Returns a view of the next <paramref name="count"/> bytes (no copy).</summary>
    public ReadOnlySpan<byte> ReadSpan(int count, string field = "bytes")
    {
        Need(count, field);
        var s = _buffer.Slice(_position, count);
        _position += count;
        return s;
    }

    /// <summary>Reads a length that must not exceed <paramref name="cap"/>; checked before anything is allocated.</summary>
    public int ReadLength32(uint cap, string field = "length")
    {
        var start = _position;
        var len = ReadUInt32(field);
        if (len > cap)
        {
            throw new DecodeException(_what, start, $"{field} {len} exceeds the cap of {cap}");
        }
        return (int)len;
    }

    /// <summary>A uint32-prefixed UTF-8 string, capped. Invalid UTF-8 is refused.</summary>
    public string ReadString32(uint cap, string field = "string")
    {
        var len = ReadLength32(cap, field);
        var start = _position;
        var bytes = ReadSpan(len, field);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new DecodeException(_what, start, $"{field} is not valid UTF-8");
        }
    }

    public void Skip(int count, string field = "padding")
    {
        Need(count, field);
        _position += count;
    }

    /// <summary>Throws unless every byte has been consumed.</summary>
    public readonly void EnsureEnd()
    {
        if (Remaining != 0)
        {
            throw new DecodeException(_what, _position, $"{Remaining} unexpected trailing bytes");
        }
    }

    public static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
