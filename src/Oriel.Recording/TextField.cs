using System.Text;
using Oriel.Wire;

namespace Oriel.Recording;

/// <summary>A text field inside a record payload: <c>length varint | UTF-8 bytes</c>, capped.</summary>
internal static class TextField
{
    public static int Size(string text)
    {
        var n = Encoding.UTF8.GetByteCount(text);
        return Varint.Size((ulong)n) + n;
    }

    public static void Write(ref SpanWriter writer, string text, int cap)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length > cap) throw new ArgumentException($"text is longer than {cap} UTF-8 bytes", nameof(text));
        Varint.Write(ref writer, (ulong)bytes.Length);
        writer.WriteBytes(bytes);
    }

    public static string Read(ref SpanReader reader, int cap, string field)
    {
        var length = Varint.ReadLength(ref reader, cap, field + " length");
        var bytes = reader.ReadSpan(length, field);
        try
        {
            return SpanReader.StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw reader.Error($"{field} is not valid UTF-8");
        }
    }
}
