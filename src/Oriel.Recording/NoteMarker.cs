using Oriel.Wire;

namespace Oriel.Recording;

/// <summary>
/// Payload of a Note record (docs/recording.md, "Note"): <c>text_length varint | text (UTF-8, at most
/// 4096 bytes)</c>. Bytes after the text are ignored.
/// </summary>
public sealed record NoteMarker(string Text)
{
    public int Size => TextField.Size(Text);

    public void Encode(ref SpanWriter writer) => TextField.Write(ref writer, Text, StreamRecordingFormat.MaxNoteLength);

    public static NoteMarker Decode(ReadOnlySpan<byte> payload)
    {
        var r = new SpanReader(payload, "Note");
        return new NoteMarker(TextField.Read(ref r, StreamRecordingFormat.MaxNoteLength, "text"));
    }
}
