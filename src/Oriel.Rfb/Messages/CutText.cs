using System.Text;
using Oriel.Wire;

namespace Oriel.Rfb.Messages;

/// <summary>The length-and-body part shared by ClientCutText and ServerCutText ([RFC 6143] 7.5.6, 7.6.4; rfbproto Extended Clipboard).</summary>
internal static class CutText
{
    /// <summary>Room an extended (zlib-compressed) body may take beyond the text cap: flags, size fields, zlib overhead.</summary>
    public const int ExtendedOverhead = 1024;

    /// <summary>
    /// Body length for a length field, checked against <paramref name="cap"/> (text) or
    /// <paramref name="cap"/> + <see cref="ExtendedOverhead"/> (extended); an extended body must hold the flags word.
    /// </summary>
    public static int BodyLength(int length, int cap, string what)
    {
        var n = length >= 0 ? length : -(long)length;
        var limit = length >= 0 ? cap : (long)cap + ExtendedOverhead;
        if (n > limit) throw new DecodeException(what, 4, $"length {n} exceeds the cap of {limit}");
        if (length < 0 && n < 4) throw new DecodeException(what, 4, $"extended clipboard length {n} is shorter than its flags");
        return (int)n;
    }

    public static (byte[]? Text, ExtendedClipboardMessage? Extended) DecodeBody(ref SpanReader reader, int cap, string what)
    {
        var length = reader.ReadInt32("length");
        var n = BodyLength(length, cap, what);
        var body = reader.ReadSpan(n, "text");
        if (length >= 0) return (body.ToArray(), null);
        var r = new SpanReader(body, what);
        return (null, ExtendedClipboardMessage.Decode(ref r));
    }

    public static void EncodeBody(ref SpanWriter writer, byte[]? text, ExtendedClipboardMessage? extended)
    {
        if (extended is not null)
        {
            writer.WriteInt32(-extended.Size);
            extended.Encode(ref writer);
        }
        else
        {
            writer.WriteInt32(text!.Length);
            writer.WriteBytes(text);
        }
    }

    /// <summary>ISO 8859-1 bytes; each character (Unicode scalar) outside it becomes one '?'.</summary>
    public static byte[] ToLatin1(string text)
    {
        var bytes = new List<byte>(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            bytes.Add(rune.Value <= 0xFF ? (byte)rune.Value : (byte)'?');
        }
        return [.. bytes];
    }
}
