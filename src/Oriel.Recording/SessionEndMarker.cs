using Oriel.Wire;

namespace Oriel.Recording;

/// <summary>
/// Payload of a SessionEnd record (docs/recording.md, "SessionEnd"):
/// <c>reason u8 | text_length varint | text (UTF-8, at most 1024 bytes)</c>. Bytes after the text are
/// ignored (room for later minor versions).
/// </summary>
public sealed record SessionEndMarker(SessionEndReason Reason, string Text)
{
    public int Size => 1 + TextField.Size(Text);

    public void Encode(ref SpanWriter writer)
    {
        writer.WriteByte((byte)Reason);
        TextField.Write(ref writer, Text, StreamRecordingFormat.MaxReasonLength);
    }

    public static SessionEndMarker Decode(ReadOnlySpan<byte> payload)
    {
        var r = new SpanReader(payload, "SessionEnd");
        var reason = (SessionEndReason)r.ReadByte("reason");
        var text = TextField.Read(ref r, StreamRecordingFormat.MaxReasonLength, "text");
        return new SessionEndMarker(reason, text);
    }
}
