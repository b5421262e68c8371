namespace Oriel.Recording;

/// <summary>Tuning for <see cref="StreamRecordingWriter"/>.</summary>
public sealed class StreamRecordingWriterOptions
{
    /// <summary>Data longer than this is split over several records (1 to <see cref="StreamRecordingFormat.MaxPayloadLength"/>).</summary>
    public int MaxDataRecordLength { get; init; } = 64 * 1024;

    /// <summary>A Sync record is written before the first data record at least this long after the previous sync point; 0 turns the time rule off.</summary>
    public long SyncIntervalMicroseconds { get; init; } = 10_000_000;

    /// <summary>A Sync record is written before the first data record after this many data bytes since the previous sync point; 0 turns the byte rule off.</summary>
    public long SyncIntervalBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// Largest payload of one Keyframe record, flag byte included (2 to <see cref="StreamRecordingFormat.MaxPayloadLength"/>):
    /// a keyframe's messages are split into parts at message boundaries to stay within it.
    /// </summary>
    public int MaxKeyframePartLength { get; init; } = StreamRecordingFormat.MaxPayloadLength;

    /// <summary>How many sync points the End record's index keeps; beyond it every other entry is dropped (1 to <see cref="StreamRecordingFormat.MaxIndexEntries"/>).</summary>
    public int IndexCapacity { get; init; } = StreamRecordingFormat.MaxIndexEntries;
}
