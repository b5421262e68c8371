using Oriel.Recording;
using Oriel.Wire;

namespace Oriel.Gateway.Recordings.Export;

/// <summary>
/// Reads a stream recording (docs/recording.md) from disk one record at a time with a bounded buffer
/// (one record at most: 1 MiB of payload plus its frame), never the whole file, so a two-hour
/// recording is exported in constant memory. It reads the way a player must: a file that ends inside a
/// record (a crash, a recording still being written) or whose records are damaged from some point on
/// ends at its last good record, and <see cref="Problem"/> says why. A damaged header is an error.
/// </summary>
public sealed class RecordingFileReader : IAsyncDisposable
{
    /// <summary>Room for the largest record: the capped payload and the frame around it.</summary>
    private const int BufferSize = StreamRecordingFormat.MaxPayloadLength + 64 * 1024;

    private readonly FileStream _file;
    private readonly StreamRecordingReader _reader = new();
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _start;
    private int _end;
    private bool _eof;
    private bool _done;

    private RecordingFileReader(FileStream file)
    {
        _file = file;
    }

    /// <summary>The header; set by <see cref="OpenAsync"/>.</summary>
    public StreamRecordingHeader Header => _reader.Header!;

    /// <summary>The End record once read (a complete file), else null.</summary>
    public StreamRecordingEnd? End => _reader.End;

    /// <summary>The time of the last record read: the recording's length so far.</summary>
    public long TimeMicroseconds => _reader.TimeMicroseconds;

    /// <summary>Why reading stopped before an End record, or null (still reading, or complete).</summary>
    public string? Problem { get; private set; }

    /// <summary>Opens <paramref name="path"/> and reads its header. Throws <see cref="DecodeException"/> when the header is damaged or missing.</summary>
    public static async Task<RecordingFileReader> OpenAsync(string path, CancellationToken ct)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var reader = new RecordingFileReader(file);
        try
        {
            while (true)
            {
                if (reader._reader.TryReadHeader(reader._buffer.AsSpan(reader._start, reader._end - reader._start), out var consumed))
                {
                    reader._start += consumed;
                    return reader;
                }
                if (!await reader.FillAsync(ct).ConfigureAwait(false))
                {
                    throw new DecodeException("stream recording header", 0, "the file ends inside its header");
                }
            }
        }
        catch
        {
            await reader.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The next record, or null at the end (the End record read, the file's end, or damage: see
    /// <see cref="Problem"/>). The returned payload is valid until the next call.
    /// </summary>
    public async ValueTask<StreamRecord?> NextAsync(CancellationToken ct)
    {
        while (!_done)
        {
            try
            {
                if (_reader.TryReadRecord(_buffer.AsMemory(_start, _end - _start), out var record, out var consumed))
                {
                    _start += consumed;
                    if (record.Kind == StreamRecordKind.End)
                    {
                        _done = true;
                    }
                    return record;
                }
                if (_reader.IsEnded)
                {
                    _done = true;
                    return null;
                }
            }
            catch (DecodeException e)
            {
                Problem = $"damaged from byte {_reader.Position} on: {e.Message}";
                _done = true;
                return null;
            }
            if (!await FillAsync(ct).ConfigureAwait(false))
            {
                Problem = _start == _end
                    ? "the file ends without its End record (cut off, or still being written)"
                    : "the file ends inside a record (cut off, or still being written)";
                _done = true;
            }
        }
        return null;
    }

    /// <summary>Moves the unread bytes to the front and reads more; false at the end of the file.</summary>
    private async Task<bool> FillAsync(CancellationToken ct)
    {
        if (_eof)
        {
            return false;
        }
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            // Cannot happen for a record within the caps: the reader throws on an over-cap length first.
            throw new DecodeException(RecordFrameWhat, _reader.Position, "a record larger than the read buffer");
        }
        var n = await _file.ReadAsync(_buffer.AsMemory(_end), ct).ConfigureAwait(false);
        if (n == 0)
        {
            _eof = true;
            return false;
        }
        _end += n;
        return true;
    }

    private const string RecordFrameWhat = "stream record";

    public ValueTask DisposeAsync() => _file.DisposeAsync();
}
