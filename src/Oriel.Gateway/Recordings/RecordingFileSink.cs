using System.Buffers;

namespace Oriel.Gateway.Recordings;

/// <summary>
/// The buffered file under a <see cref="Oriel.Recording.StreamRecordingWriter"/>: the writer appends whole
/// records into memory, <see cref="Flush"/> appends them to the file. The file is created new (never
/// overwritten) and readable only by the gateway's user. A crash loses what was not flushed; since every
/// record is checksummed, a reader in tolerant mode recovers everything before it (docs/recording.md).
/// </summary>
public sealed class RecordingFileSink : IBufferWriter<byte>, IDisposable
{
    private readonly FileStream _file;
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);

    public RecordingFileSink(string path)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.Read,
            BufferSize = 0,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        _file = new FileStream(path, options);
        Path = path;
    }

    public string Path { get; }

    /// <summary>Bytes handed to the file so far.</summary>
    public long FlushedLength { get; private set; }

    /// <summary>Bytes waiting in memory.</summary>
    public int BufferedLength => _buffer.WrittenCount;

    public void Advance(int count) => _buffer.Advance(count);

    public Memory<byte> GetMemory(int sizeHint = 0) => _buffer.GetMemory(sizeHint);

    public Span<byte> GetSpan(int sizeHint = 0) => _buffer.GetSpan(sizeHint);

    /// <summary>Appends the buffered records to the file; with <paramref name="toDisk"/>, also asks the OS to write them through.</summary>
    public void Flush(bool toDisk = false)
    {
        if (_buffer.WrittenCount > 0)
        {
            _file.Write(_buffer.WrittenSpan);
            FlushedLength += _buffer.WrittenCount;
            _buffer.ResetWrittenCount();
        }
        _file.Flush(toDisk);
    }

    public void Dispose()
    {
        try
        {
            Flush(toDisk: true);
        }
        finally
        {
            _file.Dispose();
        }
    }
}
