using System.Text;
using Oriel.Gateway.Storage;
using Oriel.Wire;

namespace Oriel.Gateway.Links;

/// <summary>
/// The signed part of a Web Desktop link token, version 1 (Oriel's own format; <c>docs/links.md</c>, "Token format").
/// Big-endian, fixed order:
/// <code>
/// u8        version      = 1
/// u8[16]    link id      random, names the single-use row in the links table
/// i64       issued at    Unix seconds
/// i64       expires at   Unix seconds, after issued at
/// u8        viewer       0 builtin, 1 novnc
/// u8 + utf8 user id      1..64 bytes
/// u8 + utf8 target id    1..64 bytes
/// u8 + utf8 issuer       1..64 bytes: who asked for the link (a username, or "cli")
/// </code>
/// </summary>
public sealed record LinkTokenPayload
{
    public const byte Version1 = 1;

    /// <summary>Bytes of random link id.</summary>
    public const int LinkIdLength = 16;

    /// <summary>The cap on each of the three strings, in UTF-8 bytes.</summary>
    public const int MaxStringLength = 64;

    /// <summary>The largest valid payload; anything longer is refused before it is decoded.</summary>
    public const int MaxSize = 1 + LinkIdLength + 8 + 8 + 1 + (3 * (1 + MaxStringLength));

    private const string What = "link token payload";

    // DateTimeOffset's range in Unix seconds (0001-01-01 .. 9999-12-31); the decoder refuses the rest.
    private const long MinUnixSeconds = -62_135_596_800;
    private const long MaxUnixSeconds = 253_402_300_799;

    /// <summary>The link id as 32 lowercase hex digits.</summary>
    public required string LinkId { get; init; }

    /// <summary>Whole seconds (sub-second parts are dropped by <see cref="Encode"/>).</summary>
    public required DateTimeOffset IssuedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public required LinkViewer Viewer { get; init; }

    public required string UserId { get; init; }

    public required string TargetId { get; init; }

    public required string Issuer { get; init; }

    /// <summary>The encoded size; throws <see cref="ArgumentException"/> when a field is out of range.</summary>
    public int Size => 1 + LinkIdLength + 8 + 8 + 1 + StringSize(UserId, nameof(UserId)) + StringSize(TargetId, nameof(TargetId)) + StringSize(Issuer, nameof(Issuer));

    public byte[] ToBytes()
    {
        var bytes = new byte[Size];
        var writer = new SpanWriter(bytes);
        Encode(ref writer);
        return bytes;
    }

    public void Encode(ref SpanWriter writer)
    {
        if (LinkId.Length != LinkIdLength * 2)
        {
            throw new ArgumentException("the link id must be 32 hex digits", nameof(LinkId));
        }

        if (ExpiresAt.ToUnixTimeSeconds() <= IssuedAt.ToUnixTimeSeconds())
        {
            throw new ArgumentException("a link must expire after it is issued", nameof(ExpiresAt));
        }

        byte[] id;
        try
        {
            id = Convert.FromHexString(LinkId);
        }
        catch (FormatException e)
        {
            throw new ArgumentException("the link id must be 32 hex digits", nameof(LinkId), e);
        }

        writer.WriteByte(Version1);
        writer.WriteBytes(id);
        writer.WriteInt64(IssuedAt.ToUnixTimeSeconds());
        writer.WriteInt64(ExpiresAt.ToUnixTimeSeconds());
        writer.WriteByte((byte)Viewer);
        WriteString8(ref writer, UserId, nameof(UserId));
        WriteString8(ref writer, TargetId, nameof(TargetId));
        WriteString8(ref writer, Issuer, nameof(Issuer));
    }

    /// <summary>Decodes a whole payload; throws <see cref="DecodeException"/> for anything malformed.</summary>
    public static LinkTokenPayload Decode(ReadOnlySpan<byte> bytes)
    {
        DecodeException.ThrowIfOverCap(What, bytes.Length, MaxSize);
        var reader = new SpanReader(bytes, What);
        var version = reader.ReadByte("version");
        if (version != Version1)
        {
            throw new DecodeException(What, 0, $"unsupported version {version}");
        }

        var linkId = Convert.ToHexStringLower(reader.ReadSpan(LinkIdLength, "link id"));
        var issued = ReadTime(ref reader, "issued at");
        var expiresOffset = reader.Position;
        var expires = ReadTime(ref reader, "expires at");
        if (expires <= issued)
        {
            throw new DecodeException(What, expiresOffset, "expires at is not after issued at");
        }

        var viewerOffset = reader.Position;
        var viewer = reader.ReadByte("viewer");
        if (viewer > (byte)LinkViewer.NoVnc)
        {
            throw new DecodeException(What, viewerOffset, $"unknown viewer {viewer}");
        }

        var payload = new LinkTokenPayload
        {
            LinkId = linkId,
            IssuedAt = issued,
            ExpiresAt = expires,
            Viewer = (LinkViewer)viewer,
            UserId = ReadString8(ref reader, "user id"),
            TargetId = ReadString8(ref reader, "target id"),
            Issuer = ReadString8(ref reader, "issuer"),
        };
        reader.EnsureEnd();
        return payload;
    }

    private static DateTimeOffset ReadTime(ref SpanReader reader, string field)
    {
        var offset = reader.Position;
        var seconds = reader.ReadInt64(field);
        if (seconds is < MinUnixSeconds or > MaxUnixSeconds)
        {
            throw new DecodeException(What, offset, $"{field} {seconds} is out of range");
        }

        return DateTimeOffset.FromUnixTimeSeconds(seconds);
    }

    private static string ReadString8(ref SpanReader reader, string field)
    {
        var offset = reader.Position;
        var length = reader.ReadByte(field + " length");
        if (length is 0 or > MaxStringLength)
        {
            throw new DecodeException(What, offset, $"{field} length {length} is not in 1..{MaxStringLength}");
        }

        var bytes = reader.ReadSpan(length, field);
        try
        {
            return SpanReader.StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new DecodeException(What, offset + 1, $"{field} is not valid UTF-8");
        }
    }

    private static int StringSize(string value, string name)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        var length = Encoding.UTF8.GetByteCount(value);
        return length is 0 or > MaxStringLength
            ? throw new ArgumentException($"{name} must be 1..{MaxStringLength} UTF-8 bytes", name)
            : 1 + length;
    }

    private static void WriteString8(ref SpanWriter writer, string value, string name)
    {
        var length = StringSize(value, name) - 1;
        writer.WriteByte((byte)length);
        writer.WriteBytes(Encoding.UTF8.GetBytes(value));
    }
}
