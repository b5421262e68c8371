namespace Oriel.Rfb.Encodings;

/// <summary>
/// A read-only stream over bytes appended to it, for an inflater to pull compressed blocks from.
/// Reading past the appended bytes returns 0 (more may be appended later). The buffer is reused.
/// </summary>
internal sealed class FeedStream : Stream
{
    private byte[] _buffer = new byte[4096];
    private int _start;
    private int _end;

    public int Available => _end - _start;

    public void Append(ReadOnlySpan<byte> data)
    {
        if (_buffer.Length - _end < data.Length)
        {
            var live = _end - _start;
            if (_buffer.Length - live < data.Length)
            {
                var next = new byte[Math.Max(live + data.Length, _buffer.Length * 2)];
                _buffer.AsSpan(_start, live).CopyTo(next);
                _buffer = next;
            }
            else
            {
                _buffer.AsSpan(_start, live).CopyTo(_buffer);
            }
            _start = 0;
            _end = live;
        }
        data.CopyTo(_buffer.AsSpan(_end));
        _end += data.Length;
    }

    public void Clear()
    {
        _start = 0;
        _end = 0;
    }

    public override int Read(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, _end - _start);
        _buffer.AsSpan(_start, n).CopyTo(buffer);
        _start += n;
        if (_start == _end)
        {
            _start = 0;
            _end = 0;
        }
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
