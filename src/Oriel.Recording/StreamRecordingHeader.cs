using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Oriel.Wire;

namespace Oriel.Recording;

/// <summary>
/// The file header of a stream recording (docs/recording.md, "File header"):
/// <c>magic(8) | major u8 | minor u8 | fields_length u16 | fields | crc32c u32</c>, where fields are
/// <c>start_unix_ms i64 | kind str8 | session_id str8 | target_id str8 | user str8 | metadata_length u16 | metadata</c>.
/// All values come from the caller (the gateway); the core never reads a clock.
/// </summary>
public sealed class StreamRecordingHeader
{
    /// <summary>Recording kind for the raw RFB stream of a passthrough session.</summary>
    public const string RfbPassthroughKind = "rfb-passthrough";

    /// <summary>
    /// Recording kind for a desktop session as the gateway's browser client saw it (docs/recording.md, "The tdp
    /// kind"): ServerData and ClientData records hold whole TDP messages, and Keyframe records let a player seek.
    /// </summary>
    public const string TdpKind = "tdp";

    /// <summary>Fields with every string and the metadata empty.</summary>
    private const int MinFieldsLength = 8 + 1 + 1 + 1 + 1 + 2;

    /// <summary>What the stream is, e.g. <see cref="RfbPassthroughKind"/>: 1-64 bytes of a-z, 0-9, '-', '.'.</summary>
    public required string Kind { get; init; }

    /// <summary>The gateway's session id (at most 128 UTF-8 bytes).</summary>
    public string SessionId { get; init; } = "";

    /// <summary>The target's id or name (at most 255 UTF-8 bytes).</summary>
    public string TargetId { get; init; } = "";

    /// <summary>The signed-in user (at most 255 UTF-8 bytes).</summary>
    public string User { get; init; } = "";

    /// <summary>When the recording started, Unix time in milliseconds; record times count from here.</summary>
    public long StartUnixMilliseconds { get; init; }

    /// <summary>A JSON object with anything else the gateway wants to keep (at most 16 KiB), or empty for none.</summary>
    public string Metadata { get; init; } = "";

    /// <summary>The minor version the file was written with (readers accept any minor of their major).</summary>
    public byte MinorVersion { get; init; } = StreamRecordingFormat.MinorVersion;

    /// <summary>Encoded size in bytes, magic and checksum included. Throws <see cref="ArgumentException"/> when a field breaks its cap.</summary>
    public int Size
    {
        get
        {
            Validate();
            return StreamRecordingFormat.HeaderPrefixLength + FieldsLength + StreamRecordingFormat.ChecksumLength;
        }
    }

    private int FieldsLength => MinFieldsLength
        + Encoding.UTF8.GetByteCount(Kind) + Encoding.UTF8.GetByteCount(SessionId)
        + Encoding.UTF8.GetByteCount(TargetId) + Encoding.UTF8.GetByteCount(User)
        + Encoding.UTF8.GetByteCount(Metadata);

    /// <summary>Throws <see cref="ArgumentException"/> unless every field is within its cap and well-formed.</summary>
    public void Validate()
    {
        if (!IsValidKind(Encoding.UTF8.GetBytes(Kind ?? ""))) throw new ArgumentException($"recording kind '{Kind}' must be 1-{StreamRecordingFormat.MaxKindLength} bytes of a-z, 0-9, '-', '.'", nameof(Kind));
        CheckLength(SessionId, StreamRecordingFormat.MaxSessionIdLength, nameof(SessionId));
        CheckLength(TargetId, StreamRecordingFormat.MaxNameLength, nameof(TargetId));
        CheckLength(User, StreamRecordingFormat.MaxNameLength, nameof(User));
        CheckLength(Metadata, StreamRecordingFormat.MaxMetadataLength, nameof(Metadata));
        if (Metadata.Length > 0 && !IsJsonObject(Encoding.UTF8.GetBytes(Metadata)))
        {
            throw new ArgumentException("metadata must be a JSON object", nameof(Metadata));
        }
    }

    private static void CheckLength(string? value, int cap, string name)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        if (Encoding.UTF8.GetByteCount(value) > cap) throw new ArgumentException($"{name} is longer than {cap} UTF-8 bytes", name);
    }

    /// <summary>Writes the header (exactly <see cref="Size"/> bytes) at the start of <paramref name="destination"/>.</summary>
    public int Encode(Span<byte> destination)
    {
        var size = Size;
        var w = new SpanWriter(destination[..size]);
        w.WriteBytes(StreamRecordingFormat.Magic);
        w.WriteByte(StreamRecordingFormat.MajorVersion);
        w.WriteByte(MinorVersion);
        w.WriteUInt16((ushort)FieldsLength);
        w.WriteInt64(StartUnixMilliseconds);
        WriteStr8(ref w, Kind);
        WriteStr8(ref w, SessionId);
        WriteStr8(ref w, TargetId);
        WriteStr8(ref w, User);
        var metadata = Encoding.UTF8.GetBytes(Metadata);
        w.WriteUInt16((ushort)metadata.Length);
        w.WriteBytes(metadata);
        w.WriteUInt32(Crc32C.Compute(destination[..w.Position]));
        return w.Position;
    }

    private static void WriteStr8(ref SpanWriter w, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        w.WriteByte((byte)bytes.Length);
        w.WriteBytes(bytes);
    }

    /// <summary>
    /// Decodes a header at the start of <paramref name="input"/>. False (and <paramref name="consumed"/> 0)
    /// when more bytes are needed; <see cref="DecodeException"/> when the bytes are not a header this
    /// reader can read (bad magic, other major version, bad checksum, a field over its cap).
    /// Fields after the known ones (added by a later minor version) are skipped.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> input, out StreamRecordingHeader? header, out int consumed)
    {
        const string What = "stream recording header";
        header = null;
        consumed = 0;
        var magic = StreamRecordingFormat.Magic;
        var prefix = Math.Min(input.Length, magic.Length);
        if (!input[..prefix].SequenceEqual(magic[..prefix])) throw new DecodeException(What, 0, "not a stream recording (bad magic)");
        if (input.Length < StreamRecordingFormat.HeaderPrefixLength) return false;
        var major = input[8];
        if (major != StreamRecordingFormat.MajorVersion) throw new DecodeException(What, 8, $"major version {major} is not supported (this reader reads {StreamRecordingFormat.MajorVersion})");
        var minor = input[9];
        int fieldsLength = BinaryPrimitives.ReadUInt16BigEndian(input[10..]);
        if (fieldsLength < MinFieldsLength) throw new DecodeException(What, 10, $"fields length {fieldsLength} is shorter than the minimum {MinFieldsLength}");
        var total = StreamRecordingFormat.HeaderPrefixLength + fieldsLength + StreamRecordingFormat.ChecksumLength;
        if (input.Length < total) return false;
        var covered = total - StreamRecordingFormat.ChecksumLength;
        var expected = BinaryPrimitives.ReadUInt32BigEndian(input[covered..]);
        var actual = Crc32C.Compute(input[..covered]);
        if (expected != actual) throw new DecodeException(What, covered, $"checksum mismatch (stored {expected:x8}, computed {actual:x8})");

        var r = new SpanReader(input[StreamRecordingFormat.HeaderPrefixLength..covered], What);
        try
        {
            var start = r.ReadInt64("start_unix_ms");
            var kindBytes = ReadStr8Bytes(ref r, StreamRecordingFormat.MaxKindLength, "kind");
            if (!IsValidKind(kindBytes)) throw r.Error("kind must be 1-64 bytes of a-z, 0-9, '-', '.'");
            var kind = Encoding.ASCII.GetString(kindBytes);
            var session = ReadStr8(ref r, StreamRecordingFormat.MaxSessionIdLength, "session_id");
            var target = ReadStr8(ref r, StreamRecordingFormat.MaxNameLength, "target_id");
            var user = ReadStr8(ref r, StreamRecordingFormat.MaxNameLength, "user");
            var metadataLength = r.ReadUInt16("metadata_length");
            if (metadataLength > StreamRecordingFormat.MaxMetadataLength) throw r.Error($"metadata_length {metadataLength} exceeds the cap of {StreamRecordingFormat.MaxMetadataLength}");
            var metadataBytes = r.ReadSpan(metadataLength, "metadata");
            if (metadataLength > 0 && !IsJsonObject(metadataBytes)) throw r.Error("metadata is not a JSON object");
            var metadata = DecodeUtf8(ref r, metadataBytes, "metadata");
            header = new StreamRecordingHeader
            {
                Kind = kind,
                SessionId = session,
                TargetId = target,
                User = user,
                StartUnixMilliseconds = start,
                Metadata = metadata,
                MinorVersion = minor,
            };
        }
        catch (DecodeException e) when (e.Offset >= 0)
        {
            throw new DecodeException(e.What, e.Offset + StreamRecordingFormat.HeaderPrefixLength, e.Why);
        }
        consumed = total;
        return true;
    }

    private static ReadOnlySpan<byte> ReadStr8Bytes(ref SpanReader r, int cap, string field)
    {
        var length = r.ReadByte(field);
        if (length > cap) throw r.Error($"{field} length {length} exceeds the cap of {cap}");
        return r.ReadSpan(length, field);
    }

    private static string ReadStr8(ref SpanReader r, int cap, string field)
    {
        var bytes = ReadStr8Bytes(ref r, cap, field);
        return DecodeUtf8(ref r, bytes, field);
    }

    private static string DecodeUtf8(ref SpanReader r, scoped ReadOnlySpan<byte> bytes, string field)
    {
        try
        {
            return SpanReader.StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw r.Error($"{field} is not valid UTF-8");
        }
    }

    private static bool IsValidKind(ReadOnlySpan<byte> kind)
    {
        if (kind.IsEmpty || kind.Length > StreamRecordingFormat.MaxKindLength) return false;
        foreach (var c in kind)
        {
            if (!(c is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'.')) return false;
        }
        return true;
    }

    private static bool IsJsonObject(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 32 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
