using Oriel.Wire;

namespace Oriel.Rfb.Messages;

/// <summary>
/// ServerCutText, [RFC 6143] 7.6.4: message-type u8 = 3, padding 3, length u32, text (ISO 8859-1).
/// With the Extended Clipboard pseudo-encoding (rfbproto) a negative length -n means an
/// <see cref="ExtendedClipboardMessage"/> of n bytes follows. Exactly one of <see cref="Text"/>
/// and <see cref="Extended"/> is set. The length is checked against a cap before anything is buffered.
/// </summary>
public sealed record ServerCutTextMessage(byte[]? Text, ExtendedClipboardMessage? Extended)
{
    public const int HeaderLength = 8;

    /// <summary>The text as a string (Latin-1), or null for an extended message.</summary>
    public string? TextString => Text is null ? null : System.Text.Encoding.Latin1.GetString(Text);

    /// <summary>True when the whole message is buffered. Throws when the length exceeds <paramref name="cap"/>.</summary>
    public static bool TryFrame(ReadOnlySpan<byte> input, int cap, out int length)
    {
        length = 0;
        if (input.Length < HeaderLength) return false;
        var body = CutText.BodyLength(System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(input[4..]), cap, "ServerCutText");
        length = HeaderLength + body;
        return input.Length >= length;
    }

    public static ServerCutTextMessage Decode(ref SpanReader reader, int cap)
    {
        SetPixelFormatMessage.Expect(ref reader, RfbMessageType.ServerCutText, "ServerCutText");
        reader.Skip(3);
        var (text, ext) = CutText.DecodeBody(ref reader, cap, "ServerCutText");
        return new ServerCutTextMessage(text, ext);
    }

    public int Size => HeaderLength + (Extended?.Size ?? Text!.Length);

    public void Encode(ref SpanWriter writer)
    {
        writer.WriteByte(RfbMessageType.ServerCutText);
        writer.WriteZeros(3);
        CutText.EncodeBody(ref writer, Text, Extended);
    }
}
