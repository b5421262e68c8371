using Oriel.Recording;
using Oriel.Wire;

namespace Oriel.Gateway.Recordings;

/// <summary>
/// Builds the <see cref="RecordingTimeline"/> of a recording file on disk without reading it whole: for a complete
/// file, the header, the last 12 bytes and the End record (at most 1 MiB and its frame); for a file without a valid
/// End record (still being written, or cut short), a tolerant scan in 1 MiB chunks. The file is opened shared, so a
/// recording being written can be read.
/// </summary>
public static class RecordingFileTimeline
{
    private const int ChunkBytes = 1024 * 1024;

    /// <summary>The largest header: prefix, 65535 bytes of fields, CRC.</summary>
    private const int MaxHeaderBytes = StreamRecordingFormat.HeaderPrefixLength + ushort.MaxValue + 4;

    /// <summary>Largest End record frame: kind, two 9-byte varints, payload, CRC.</summary>
    private const long MaxEndFrameBytes = 1 + 9 + 9 + StreamRecordingFormat.MaxPayloadLength + 4;

    /// <summary>Reads the timeline; <see cref="DecodeException"/> when not even the header can be read.</summary>
    public static async Task<RecordingTimeline> ReadAsync(string path, CancellationToken ct)
    {
        await using var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.ReadWrite | FileShare.Delete,
            Options = FileOptions.Asynchronous,
            BufferSize = 0,
        });
        var length = file.Length;
        var fromEnd = await TryFromEndAsync(file, length, ct).ConfigureAwait(false);
        return fromEnd ?? await ScanAsync(file, ct).ConfigureAwait(false);
    }

    private static async Task<RecordingTimeline?> TryFromEndAsync(FileStream file, long length, CancellationToken ct)
    {
        if (length < StreamRecordingFormat.TrailerLength + StreamRecordingFormat.HeaderPrefixLength)
        {
            return null;
        }
        var trailer = await ReadAtAsync(file, length - StreamRecordingFormat.TrailerLength, StreamRecordingFormat.TrailerLength, ct).ConfigureAwait(false);
        if (!StreamRecordingEnd.TryLocate(trailer, length, out var endOffset) || length - endOffset > MaxEndFrameBytes)
        {
            return null;
        }
        var head = await ReadAtAsync(file, 0, (int)Math.Min(length, MaxHeaderBytes), ct).ConfigureAwait(false);
        if (!StreamRecordingHeader.TryDecode(head, out _, out var recordsStart) || recordsStart > endOffset)
        {
            return null;
        }
        var endBytes = await ReadAtAsync(file, endOffset, (int)(length - endOffset), ct).ConfigureAwait(false);
        try
        {
            return RecordingTimeline.FromEnd(recordsStart, StreamRecordingReader.ReadEndRecord(endBytes, endOffset));
        }
        catch (DecodeException)
        {
            // The last bytes only looked like an End record: scan instead.
            return null;
        }
    }

    private static async Task<RecordingTimeline> ScanAsync(FileStream file, CancellationToken ct)
    {
        var scanner = new RecordingTimelineScanner();
        file.Position = 0;
        var buffer = new byte[ChunkBytes * 2 + 64];
        var filled = 0;
        while (!scanner.IsDone)
        {
            if (filled == buffer.Length)
            {
                // A record larger than the buffer cannot be: payloads are capped at 1 MiB, so the scanner would have consumed it.
                throw new DecodeException("stream recording", scanner.Position, "a record does not fit in the scan buffer");
            }
            var read = await file.ReadAsync(buffer.AsMemory(filled, Math.Min(ChunkBytes, buffer.Length - filled)), ct).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }
            filled += read;
            var used = scanner.Append(buffer.AsMemory(0, filled));
            Buffer.BlockCopy(buffer, used, buffer, 0, filled - used);
            filled -= used;
        }
        return scanner.Build();
    }

    private static async Task<byte[]> ReadAtAsync(FileStream file, long offset, int count, CancellationToken ct)
    {
        var bytes = new byte[count];
        file.Position = offset;
        await file.ReadExactlyAsync(bytes, ct).ConfigureAwait(false);
        return bytes;
    }
}
