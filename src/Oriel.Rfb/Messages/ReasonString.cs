using System.Text;
using Oriel.Wire;

namespace Oriel.Rfb.Messages;

/// <summary>
/// A reason string as used by the security handshake, [RFC 6143] 7.1.2 and 7.1.3:
/// reason-length u32, then that many bytes. The RFC says ASCII; servers send UTF-8, so valid
/// UTF-8 is decoded as such and anything else as Latin-1.
/// </summary>
internal static class ReasonString
{
    public static bool TryFrame(ReadOnlySpan<byte> input, int cap, string what, out int length)
    {
        length = 0;
        if (input.Length < 4) return false;
        var n = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(input);
        if (n > (uint)cap)
        {
            throw new DecodeException(what, 0, $"reason-length {n} exceeds the cap of {cap}");
        }
        length = 4 + (int)n;
        return input.Length >= length;
    }

    public static string Decode(ref SpanReader reader, int cap)
    {
        var n = reader.ReadLength32((uint)cap, "reason-length");
        return Text(reader.ReadSpan(n, "reason-string"));
    }

    public static string Text(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return SpanReader.StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(bytes);
        }
    }

    public static int Size(string reason) => 4 + Encoding.UTF8.GetByteCount(reason);

    public static void Encode(ref SpanWriter writer, string reason) => writer.WriteString32(reason);
}
