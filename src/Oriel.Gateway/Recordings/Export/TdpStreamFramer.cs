using Oriel.Tdp;

namespace Oriel.Gateway.Recordings.Export;

/// <summary>
/// Cuts a TDP byte stream (docs/tdp.md, "Transport: byte stream") into whole messages: bytes are appended
/// in any slices, and <see cref="TryTake"/> gives each message once all its bytes are there.
/// <see cref="TdpCodec.TryGetMessageLength"/> refuses an unknown type or an over-cap length
/// (<see cref="Oriel.Wire.DecodeException"/>) before the buffer grows for it, so the buffer never holds
/// more than one capped message plus what came with it.
/// </summary>
public sealed class TdpStreamFramer
{
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    /// <summary>Bytes appended and not yet taken as a message.</summary>
    public int Pending => _end - _start;

    /// <summary>Appends stream bytes.</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _buffer.Length - _end)
        {
            Compact(bytes.Length);
        }
        bytes.CopyTo(_buffer.AsSpan(_end));
        _end += bytes.Length;
    }

    /// <summary>The next whole message, valid until the next call; false when more bytes are needed.</summary>
    public bool TryTake(out ReadOnlySpan<byte> message)
    {
        var pending = _buffer.AsSpan(_start, _end - _start);
        if (!TdpCodec.TryGetMessageLength(pending, out var length))
        {
            message = default;
            return false;
        }
        message = pending[..length];
        _start += length;
        if (_start == _end)
        {
            _start = _end = 0;
        }
        return true;
    }

    private void Compact(int incoming)
    {
        var pending = _end - _start;
        var needed = (long)pending + incoming;
        if (needed > _buffer.Length)
        {
            // Grows only for bytes that arrived: a message's length was checked against its cap already
            // when its header came, and a data record is itself capped.
            var next = new byte[(int)Math.Min(Array.MaxLength, Math.Max(needed, (long)_buffer.Length * 2))];
            _buffer.AsSpan(_start, pending).CopyTo(next);
            _buffer = next;
        }
        else
        {
            _buffer.AsSpan(_start, pending).CopyTo(_buffer);
        }
        _start = 0;
        _end = pending;
    }
}
