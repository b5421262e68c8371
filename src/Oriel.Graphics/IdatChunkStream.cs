using System.Buffers;
using System.Buffers.Binary;

namespace Oriel.Graphics;

/// <summary>
/// The write-only stream zlib output goes to: it cuts the bytes into IDAT chunks (PNG
/// specification, 3rd edition, 11.2.4: length, "IDAT", data, CRC-32 of type and data), written
/// straight into the caller's <see cref="IBufferWriter{T}"/> with no intermediate copy.
/// One instance is reused across encodes; <see cref="Reset"/> before each.
/// </summary>
internal sealed class IdatChunkStream : Stream
{
    private static ReadOnlySpan<byte> IdatType => "IDAT"u8;

    private IBufferWriter<byte>? _output;
    private Memory<byte> _chunk; // 8 header bytes, up to _chunkSize data bytes, 4 CRC bytes
    private int _used;
    private int _chunkSize;

    /// <summary>Bytes of complete chunks written to the output since <see cref="Reset"/>.</summary>
    public long BytesWritten { get; private set; }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public void Reset(IBufferWriter<byte> output, int chunkSize)
    {
        _output = output;
        _chunkSize = chunkSize;
        _chunk = default;
        _used = 0;
        BytesWritten = 0;
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            if (_chunk.IsEmpty)
            {
                _chunk = _output!.GetMemory(_chunkSize + 12)[..(_chunkSize + 12)];
                _used = 0;
            }
            var n = Math.Min(buffer.Length, _chunkSize - _used);
            buffer[..n].CopyTo(_chunk.Span[(8 + _used)..]);
            _used += n;
            buffer = buffer[n..];
            if (_used == _chunkSize) EmitChunk();
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Write([value]);

    /// <summary>Writes the last, partly filled chunk (if any). The output is left ready for IEND.</summary>
    public void Finish()
    {
        if (!_chunk.IsEmpty && _used > 0) EmitChunk();
        _chunk = default;
        _output = null;
    }

    public override void Flush()
    {
        // Chunks are emitted when full or at Finish; nothing is held that a flush could release early.
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void EmitChunk()
    {
        var span = _chunk.Span;
        BinaryPrimitives.WriteInt32BigEndian(span, _used);
        IdatType.CopyTo(span[4..]);
        var crc = Crc32.Compute(span.Slice(4, 4 + _used));
        BinaryPrimitives.WriteUInt32BigEndian(span[(8 + _used)..], crc);
        _output!.Advance(_used + 12);
        BytesWritten += _used + 12;
        _chunk = default;
        _used = 0;
    }
}
