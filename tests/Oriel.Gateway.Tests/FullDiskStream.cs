namespace Oriel.Gateway.Tests;

/// <summary>
/// A file on a disk that fills up: holds at most <see cref="Capacity"/> bytes; a write that does not fit writes what
/// fits and then fails as Linux does (IOException, ENOSPC). Can be cut back (SetLength) and read back (<see cref="Bytes"/>).
/// </summary>
internal sealed class FullDiskStream(long capacity) : Stream
{
    private const int Enospc = 28;
    private readonly MemoryStream _data = new();

    public long Capacity { get; set; } = capacity;

    /// <summary>How many writes failed.</summary>
    public int Failures { get; private set; }

    public byte[] Bytes => _data.ToArray();

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _data.Length;

    public override long Position
    {
        get => _data.Position;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var room = (int)Math.Max(0, Math.Min(buffer.Length, Capacity - _data.Length));
        _data.Write(buffer[..room]);
        if (room < buffer.Length)
        {
            Failures++;
            throw new IOException("No space left on device : 'test'", Enospc);
        }
    }

    public override void SetLength(long value)
    {
        _data.SetLength(value);
        _data.Position = value;
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
}
