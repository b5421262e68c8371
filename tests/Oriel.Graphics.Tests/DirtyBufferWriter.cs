using System.Buffers;

namespace Oriel.Graphics.Tests;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> that hands out 0xFF-filled memory, more than asked for, in
/// fresh segments, so an encoder that relies on zeroed or contiguous memory fails.
/// </summary>
internal sealed class DirtyBufferWriter : IBufferWriter<byte>
{
    private readonly List<byte> _written = [];
    private byte[] _current = [];
    private readonly int _slack;

    public DirtyBufferWriter(int slack = 37) => _slack = slack;

    public byte[] ToArray() => [.. _written];

    public int GetCalls { get; private set; }

    public void Advance(int count)
    {
        if (count < 0 || count > _current.Length) throw new InvalidOperationException("advance past the span");
        _written.AddRange(_current.AsSpan(0, count));
        _current = [];
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        GetCalls++;
        _current = new byte[Math.Max(sizeHint, 1) + _slack];
        _current.AsSpan().Fill(0xFF);
        return _current;
    }

    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
}
