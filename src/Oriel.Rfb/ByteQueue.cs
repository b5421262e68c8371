namespace Oriel.Rfb;

/// <summary>
/// Received bytes not yet processed: appended at the end, consumed from the front. The unconsumed tail
/// moves only when the end of the buffer is reached, and the buffer grows only when the tail does not fit.
/// Used by the engine and by the replay observer (one per direction).
/// </summary>
internal sealed class ByteQueue
{
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    public ReadOnlySpan<byte> Span => new(_buffer, _start, _end - _start);

    public int Length => _end - _start;

    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        if (_buffer.Length - _end < data.Length)
        {
            var pending = _end - _start;
            var need = (long)pending + data.Length;
            if (need > Array.MaxLength) throw new InvalidOperationException("receive buffer too large");
            if (need <= _buffer.Length)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
            }
            else
            {
                var next = new byte[Math.Max(need, Math.Min((long)_buffer.Length * 2, Array.MaxLength))];
                Buffer.BlockCopy(_buffer, _start, next, 0, pending);
                _buffer = next;
            }
            _start = 0;
            _end = pending;
        }
        data.CopyTo(_buffer.AsSpan(_end));
        _end += data.Length;
    }

    public void Consume(int count)
    {
        if ((uint)count > (uint)(_end - _start)) throw new InvalidOperationException($"consumed {count} of {_end - _start} buffered bytes");
        _start += count;
        if (_start == _end)
        {
            _start = 0;
            _end = 0;
        }
    }

    public void Clear()
    {
        _start = 0;
        _end = 0;
    }
}
