using Oriel.Wire;

namespace Oriel.Recording;

/// <summary>What <see cref="StreamRecordingReader.ReadAll"/> found in a file.</summary>
public sealed class StreamRecordingReadResult
{
    internal StreamRecordingReadResult(
        StreamRecordingHeader? header,
        IReadOnlyList<StreamRecord> records,
        IReadOnlyList<StreamSyncPoint> syncPoints,
        StreamRecordingEnd? end,
        long validLength,
        long? truncatedAt,
        DecodeException? error)
    {
        Header = header;
        Records = records;
        SyncPoints = syncPoints;
        End = end;
        ValidLength = validLength;
        TruncatedAt = truncatedAt;
        Error = error;
    }

    /// <summary>The header, or null when the file ends (tolerant mode) before the header is complete.</summary>
    public StreamRecordingHeader? Header { get; }

    /// <summary>Every complete, checked record in file order, Sync and End records included.</summary>
    public IReadOnlyList<StreamRecord> Records { get; }

    /// <summary>Every Sync record found, in file order.</summary>
    public IReadOnlyList<StreamSyncPoint> SyncPoints { get; }

    /// <summary>The End record, or null when the file has none (still being written, or cut short).</summary>
    public StreamRecordingEnd? End { get; }

    /// <summary>True when the file is complete: an End record and no damage.</summary>
    public bool IsComplete => End is not null && Error is null;

    /// <summary>Length of the complete, checked prefix: a crashed recording can be cut here and continued.</summary>
    public long ValidLength { get; }

    /// <summary>Tolerant mode: set when the bytes end before the End record; the offset where the first incomplete record (or the missing End record) starts.</summary>
    public long? TruncatedAt { get; }

    /// <summary>Tolerant mode: the damage that stopped reading (checksum mismatch, bad field), with its offset.</summary>
    public DecodeException? Error { get; }
}
