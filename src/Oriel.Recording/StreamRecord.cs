namespace Oriel.Recording;

/// <summary>
/// One record as read from a file: <c>kind u8 | time_us varint | length varint | payload | crc32c u32</c>
/// (docs/recording.md, "Records"). <see cref="Payload"/> is a slice of the reader's input, valid as long as
/// that input is.
/// </summary>
/// <param name="Kind">The kind byte; may be an ancillary kind this version does not name.</param>
/// <param name="TimeMicroseconds">Microseconds since the header's start time; never decreases along a file.</param>
/// <param name="FileOffset">Where the record starts in the file.</param>
/// <param name="Payload">The payload (for data records: the protocol bytes).</param>
public readonly record struct StreamRecord(StreamRecordKind Kind, long TimeMicroseconds, long FileOffset, ReadOnlyMemory<byte> Payload)
{
    /// <summary>True for <see cref="StreamRecordKind.ClientData"/> and <see cref="StreamRecordKind.ServerData"/>.</summary>
    public bool IsData => Kind is StreamRecordKind.ClientData or StreamRecordKind.ServerData;

    /// <summary>True for kinds a reader may skip without understanding them.</summary>
    public bool IsAncillary => ((byte)Kind & StreamRecordingFormat.AncillaryBit) != 0;

    /// <summary>The direction of a data record.</summary>
    public StreamDirection Direction => Kind switch
    {
        StreamRecordKind.ClientData => StreamDirection.ClientToServer,
        StreamRecordKind.ServerData => StreamDirection.ServerToClient,
        _ => throw new InvalidOperationException($"a {Kind} record has no direction"),
    };
}
