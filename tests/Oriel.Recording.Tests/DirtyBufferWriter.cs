using System.Buffers;

namespace Oriel.Recording.Tests;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> that hands out spans larger than asked for and filled with 0xFF,
/// so an encoder that relies on zeroed memory or writes past its size shows up in the output.
/// </summary>
internal sealed class DirtyBufferWriter : IBufferWriter<byte>
{
    private readonly List<byte> _written = [];
    private byte[] _current = [];

    public byte[] ToArray() => [.. _written];

    public int Length => _written.Count;

    public void Clear() => _written.Clear();

    public void Advance(int count)
    {
        if (count < 0 || count > _current.Length) throw new InvalidOperationException("advanced past the span");
        _written.AddRange(_current.AsSpan(0, count));
        _current = [];
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        _current = new byte[Math.Max(sizeHint, 16) + 7];
        Array.Fill(_current, (byte)0xFF);
        return _current;
    }

    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
}
