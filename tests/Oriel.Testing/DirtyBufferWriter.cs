using System.Buffers;

namespace Oriel.Testing;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> that hands out 0xFF-filled memory, more than asked for, in
/// fresh segments, so an encoder that relies on zeroed or contiguous memory, or writes past its size, fails.
/// </summary>
public sealed class DirtyBufferWriter : IBufferWriter<byte>
{
    private readonly List<byte> _written = [];
    private byte[] _current = [];
    private readonly int _slack;
    private readonly int _minimum;

    /// <param name="slack">Bytes handed out beyond what was asked for.</param>
    /// <param name="minimum">Fewest bytes handed out before the slack, whatever was asked for.</param>
    public DirtyBufferWriter(int slack = 37, int minimum = 1)
    {
        _slack = slack;
        _minimum = minimum;
    }

    public byte[] ToArray() => [.. _written];

    /// <summary>Bytes written so far.</summary>
    public int Length => _written.Count;

    /// <summary>Forgets what was written.</summary>
    public void Clear() => _written.Clear();

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
        _current = new byte[Math.Max(sizeHint, _minimum) + _slack];
        _current.AsSpan().Fill(0xFF);
        return _current;
    }

    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
}
