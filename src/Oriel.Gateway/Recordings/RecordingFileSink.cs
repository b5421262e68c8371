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
    private readonly Stream _file;
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private bool _abandoned;

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

    /// <summary>Over a stream the caller opened (tests: a stream that fills up like a full disk).</summary>
    internal RecordingFileSink(Stream stream, string path)
    {
        _file = stream;
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
        if (_abandoned) return;
        if (_buffer.WrittenCount > 0)
        {
            _file.Write(_buffer.WrittenSpan);
            FlushedLength += _buffer.WrittenCount;
            _buffer.ResetWrittenCount();
        }
        if (_file is FileStream fs)
        {
            fs.Flush(toDisk);
        }
        else
        {
            _file.Flush();
        }
    }

    /// <summary>
    /// A write failed: drops what is buffered, cuts the file back to the end of the last batch written whole (so it
    /// ends on a complete record), and writes nothing more. Best effort: a file that cannot even be cut stays as
    /// it is, and a tolerant reader still stops at its last complete record.
    /// </summary>
    public void Abandon()
    {
        if (_abandoned) return;
        _abandoned = true;
        _buffer.Clear();
        try
        {
            _file.SetLength(FlushedLength);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left as it is (see above).
        }
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
