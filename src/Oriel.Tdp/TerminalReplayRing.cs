namespace Oriel.Tdp;

/// <summary>
/// The bytes of one screen of a <see cref="TerminalScreenReplay"/>: a ring of at most <see cref="Capacity"/> bytes that
/// keeps the tail when more arrive. Its array is allocated on the first byte and grows by doubling up to the capacity,
/// so a quiet terminal costs little; appending never moves the bytes already kept (a full ring overwrites its oldest).
/// </summary>
internal sealed class TerminalReplayRing(int capacity)
{
    private const int FirstArray = 4096;

    /// <summary>Rings that grew past this give their array back when cleared (a clear screen is a fresh start).</summary>
    private const int KeepOnClear = 64 * 1024;

    private byte[] _buffer = [];
    private int _start;

    public int Capacity { get; } = capacity;

    public int Count { get; private set; }

    /// <summary>Bytes were dropped from the head since the last <see cref="Clear"/>: the kept bytes begin mid-stream.</summary>
    public bool Truncated { get; private set; }

    public void Clear()
    {
        _start = 0;
        Count = 0;
        Truncated = false;
        if (_buffer.Length > KeepOnClear)
        {
            _buffer = [];
        }
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }
        if (data.Length >= Capacity)
        {
            Grow(Capacity);
            data[^Capacity..].CopyTo(_buffer);
            Truncated |= Count > 0 || data.Length > Capacity;
            _start = 0;
            Count = Capacity;
            return;
        }
        if (Count + data.Length > _buffer.Length && _buffer.Length < Capacity)
        {
            Grow(Math.Min(Capacity, Math.Max(Count + data.Length, Math.Max(FirstArray, _buffer.Length * 2))));
        }
        var over = Count + data.Length - _buffer.Length;
        if (over > 0)
        {
            _start = (_start + over) % _buffer.Length;
            Count -= over;
            Truncated = true;
        }
        var at = (_start + Count) % _buffer.Length;
        var first = Math.Min(data.Length, _buffer.Length - at);
        data[..first].CopyTo(_buffer.AsSpan(at));
        data[first..].CopyTo(_buffer);
        Count += data.Length;
    }

    /// <summary>Copies the kept bytes, oldest first, into <paramref name="destination"/> (at least <see cref="Count"/> long).</summary>
    public void CopyTo(Span<byte> destination)
    {
        if (Count == 0)
        {
            return;
        }
        var first = Math.Min(Count, _buffer.Length - _start);
        _buffer.AsSpan(_start, first).CopyTo(destination);
        _buffer.AsSpan(0, Count - first).CopyTo(destination[first..]);
    }

    private void Grow(int size)
    {
        if (_buffer.Length >= size)
        {
            return;
        }
        var bigger = new byte[size];
        CopyTo(bigger);
        _buffer = bigger;
        _start = 0;
    }
}
