namespace Oriel.Recording;

/// <summary>
/// ServerData bytes per equal time bucket of a recording (<see cref="RecordingTimeline.Histogram"/>): bucket
/// <c>k</c> covers times <c>[k × BucketUs, (k + 1) × BucketUs)</c>, the last one also the recording's end. The
/// buckets add up to the recording's ServerData bytes. A player draws it under its seek bar to show where
/// the screen changed.
/// </summary>
/// <param name="BucketUs">The width of one bucket in microseconds (at least 1).</param>
/// <param name="Bytes">ServerData bytes per bucket.</param>
public sealed record RecordingHistogram(long BucketUs, IReadOnlyList<long> Bytes);
