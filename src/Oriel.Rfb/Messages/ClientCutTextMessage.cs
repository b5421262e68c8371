using Oriel.Wire;

namespace Oriel.Rfb.Messages;

/// <summary>
/// ClientCutText, [RFC 6143] 7.5.6: message-type u8 = 6, padding 3, length u32, text (ISO 8859-1).
/// With the Extended Clipboard pseudo-encoding (rfbproto) the length is an s32 and a negative
/// value -n means an <see cref="ExtendedClipboardMessage"/> of n bytes follows instead.
/// Exactly one of <see cref="Text"/> and <see cref="Extended"/> is set.
/// </summary>
public sealed record ClientCutTextMessage(byte[]? Text, ExtendedClipboardMessage? Extended) : IRfbClientMessage
{
    public const int HeaderLength = 8;

    /// <summary>Latin-1 text; characters outside ISO 8859-1 become '?'.</summary>
    public static ClientCutTextMessage FromString(string text) => new(CutText.ToLatin1(text), null);

    public static ClientCutTextMessage FromExtended(ExtendedClipboardMessage message) => new(null, message);

    public int Size => HeaderLength + (Extended?.Size ?? Text!.Length);

    public void Encode(ref SpanWriter writer)
    {
        writer.WriteByte(RfbMessageType.ClientCutText);
        writer.WriteZeros(3);
        CutText.EncodeBody(ref writer, Text, Extended);
    }

    public static ClientCutTextMessage Decode(ref SpanReader reader, int cap)
    {
        SetPixelFormatMessage.Expect(ref reader, RfbMessageType.ClientCutText, "ClientCutText");
        reader.Skip(3);
        var (text, ext) = CutText.DecodeBody(ref reader, cap, "ClientCutText");
        return new ClientCutTextMessage(text, ext);
    }
}
