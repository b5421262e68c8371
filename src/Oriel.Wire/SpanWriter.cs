using System.Buffers.Binary;
using System.Text;

namespace Oriel.Wire;

/// <summary>
/// Writes fields into a caller-provided span. Big-endian unless the method name says LE.
/// Writing past the end throws <see cref="InvalidOperationException"/> (a bug in the caller's
/// size computation, never a property of untrusted input).
/// </summary>
public ref struct SpanWriter
{
    private readonly Span<byte> _buffer;
    private int _position;

    public SpanWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    public readonly int Position => _position;
    public readonly int Remaining => _buffer.Length - _position;
    public readonly Span<byte> Written => _buffer[.._position];

    private Span<byte> Take(int count)
    {
        if (_buffer.Length - _position < count)
        {
            throw new InvalidOperationException($"SpanWriter overflow: need {count}, have {Remaining}");
        }
        var s = _buffer.Slice(_position, count);
        _position += count;
        return s;
    }

    public void WriteByte(byte value) => Take(1)[0] = value;
    public void WriteBool(bool value) => WriteByte(value ? (byte)1 : (byte)0);
    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Take(2), value);
    public void WriteInt16(short value) => BinaryPrimitives.WriteInt16BigEndian(Take(2), value);
    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Take(4), value);
    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32BigEndian(Take(4), value);
    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64BigEndian(Take(8), value);
    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64BigEndian(Take(8), value);
    public void WriteUInt16LE(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Take(2), value);
    public void WriteUInt32LE(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Take(4), value);
    public void WriteUInt64LE(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Take(8), value);
    public void WriteBytes(ReadOnlySpan<byte> value) => value.CopyTo(Take(value.Length));
    public void WriteZeros(int count) => Take(count).Clear();

    /// <summary>uint32 length prefix then UTF-8 bytes.</summary>
    public void WriteString32(string value)
    {
        var n = Encoding.UTF8.GetByteCount(value);
        WriteUInt32((uint)n);
        Encoding.UTF8.GetBytes(value, Take(n));
    }

    public static int String32Size(string value) => 4 + Encoding.UTF8.GetByteCount(value);
}
