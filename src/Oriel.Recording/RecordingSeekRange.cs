namespace Oriel.Recording;

/// <summary>
/// The bytes a player reads to show time T (<see cref="RecordingTimeline.SeekRange"/>): from the Sync record at
/// or before T (or the first record when none is) up to, not including, <see cref="End"/>. It draws the keyframe
/// after the Sync, then plays the records that follow up to T. When the range stops short of T (it was cut to
/// a maximum length), the player reads on from <see cref="End"/> with a reader started at
/// <see cref="SyncPoint"/>.
/// </summary>
/// <param name="Start">File offset of the first byte to read: the Sync record, or the first record after the header.</param>
/// <param name="End">File offset just past the last byte to read (exclusive).</param>
/// <param name="SyncPoint">The sync point at <see cref="Start"/>, or null when the range starts at the first record (there is no keyframe to draw: the canvas starts empty).</param>
public sealed record RecordingSeekRange(long Start, long End, StreamSyncPoint? SyncPoint)
{
    /// <summary>The number of bytes in the range.</summary>
    public long Length => End - Start;
}
