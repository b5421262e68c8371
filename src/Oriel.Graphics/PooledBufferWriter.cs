using System.Buffers;

namespace Oriel.Graphics;

/// <summary>
/// A growable <see cref="IBufferWriter{T}"/> of bytes over arrays rented from
/// <see cref="ArrayPool{T}.Shared"/>. <see cref="Clear"/> keeps the array for reuse;
/// <see cref="Dispose"/> returns it. Memory handed out by <see cref="WrittenMemory"/> is valid until
/// the next write that grows the buffer, <see cref="Clear"/> or <see cref="Dispose"/>. Not thread-safe.
/// </summary>
public sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private const int MinimumSize = 4096;

    /// <summary>Largest buffer this writer grows to (1 GiB).</summary>
    public const int MaxCapacity = 1 << 30;

    private byte[] _buffer;
    private int _written;

    public PooledBufferWriter(int initialCapacity = 64 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialCapacity);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(initialCapacity, MaxCapacity);
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, MinimumSize));
    }

    /// <summary>Bytes written so far.</summary>
    public int WrittenCount => _written;

    /// <summary>Size of the current array.</summary>
    public int Capacity => _buffer.Length;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    /// <summary>Forgets the written bytes, keeping the array.</summary>
    public void Clear() => _written = 0;

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _written);
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    public void Dispose()
    {
        var b = _buffer;
        _buffer = [];
        _written = 0;
        if (b.Length > 0) ArrayPool<byte>.Shared.Return(b);
    }

    private void Ensure(int sizeHint)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sizeHint);
        if (sizeHint == 0) sizeHint = 1;
        if (_buffer.Length - _written >= sizeHint) return;
        var need = (long)_written + sizeHint;
        if (need > MaxCapacity) throw new InvalidOperationException("pooled buffer would exceed 1 GiB");
        var size = Math.Max(Math.Max(need, (long)_buffer.Length * 2), MinimumSize);
        var next = ArrayPool<byte>.Shared.Rent((int)Math.Min(size, MaxCapacity));
        _buffer.AsSpan(0, _written).CopyTo(next);
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = next;
    }
}
