namespace Oriel.Recording;

/// <summary>
/// Constants of the stream recording format (docs/recording.md): a file header, then checksummed
/// records, the last of which is an End record. Fixed-width integers are big-endian; lengths and
/// times inside records are unsigned LEB128 varints.
/// </summary>
public static class StreamRecordingFormat
{
    /// <summary>The first eight bytes of every file: 0x89 "ORC" CR LF SUB LF (the PNG idea: catches 7-bit and newline-mangling transfers).</summary>
    public static ReadOnlySpan<byte> Magic => [0x89, 0x4F, 0x52, 0x43, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Incompatible changes bump the major version; readers refuse other majors.</summary>
    public const byte MajorVersion = 1;

    /// <summary>
    /// Compatible additions (ancillary record kinds, trailing fields) bump the minor version. 1.1 added the
    /// <c>tdp</c> kind and the Keyframe record (0x80); readers accept every minor of their major.
    /// </summary>
    public const byte MinorVersion = 1;

    /// <summary>The usual file name extension.</summary>
    public const string FileExtension = ".orec";

    /// <summary>magic (8) + major (1) + minor (1) + header length (2).</summary>
    public const int HeaderPrefixLength = 12;

    /// <summary>The CRC-32C after the header fields and after every record.</summary>
    public const int ChecksumLength = 4;

    /// <summary>Cap on a record's payload. Data longer than this is split over several records.</summary>
    public const int MaxPayloadLength = 1024 * 1024;

    /// <summary>Cap on the recording kind ("rfb-passthrough"): ASCII lower-case letters, digits, '-' and '.'.</summary>
    public const int MaxKindLength = 64;

    /// <summary>Cap on the session id (UTF-8 bytes).</summary>
    public const int MaxSessionIdLength = 128;

    /// <summary>Cap on the target id and on the user name (UTF-8 bytes).</summary>
    public const int MaxNameLength = 255;

    /// <summary>Cap on the metadata JSON object (UTF-8 bytes).</summary>
    public const int MaxMetadataLength = 16 * 1024;

    /// <summary>Cap on the text of a Note marker (UTF-8 bytes).</summary>
    public const int MaxNoteLength = 4096;

    /// <summary>Cap on the reason text of a SessionEnd marker (UTF-8 bytes).</summary>
    public const int MaxReasonLength = 1024;

    /// <summary>Cap on the number of sync points the End record's index lists.</summary>
    public const int MaxIndexEntries = 16 * 1024;

    /// <summary>The flag byte that starts a Keyframe record's payload: bit 0 set on the last part of a keyframe.</summary>
    public const int KeyframeFlagsLength = 1;

    /// <summary>A record's kind byte with this bit set is ancillary: a reader that does not know it skips it.</summary>
    public const byte AncillaryBit = 0x80;

    /// <summary>The End record's payload ends with its own file offset (u64), and the file with the record's CRC: the last 12 bytes locate the End record.</summary>
    public const int TrailerLength = 8 + ChecksumLength;
}
