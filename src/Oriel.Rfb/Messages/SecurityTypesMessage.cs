using Oriel.Wire;

namespace Oriel.Rfb.Messages;

/// <summary>
/// The server's list of security types, [RFC 6143] 7.1.2 (versions 3.7 and 3.8):
/// number-of-security-types u8, security-types u8[n]. When n is zero the connection failed and a
/// reason follows: reason-length u32, reason-string.
/// </summary>
public sealed record SecurityTypesMessage(IReadOnlyList<byte> Types, string? FailureReason)
{
    /// <summary>Cap on the failure reason length.</summary>
    public const int MaxReasonLength = 64 * 1024;

    /// <summary>True when the whole message is buffered; the reason length is checked against its cap first.</summary>
    public static bool TryFrame(ReadOnlySpan<byte> input, out int length)
    {
        length = 0;
        if (input.Length < 1) return false;
        var n = input[0];
        if (n > 0)
        {
            length = 1 + n;
            return input.Length >= length;
        }
        if (!ReasonString.TryFrame(input[1..], MaxReasonLength, "SecurityTypes", out var reasonLength)) return false;
        length = 1 + reasonLength;
        return true;
    }

    public static SecurityTypesMessage Decode(ref SpanReader reader)
    {
        var n = reader.ReadByte("number-of-security-types");
        if (n == 0)
        {
            return new SecurityTypesMessage([], ReasonString.Decode(ref reader, MaxReasonLength));
        }
        return new SecurityTypesMessage(reader.ReadSpan(n, "security-types").ToArray(), null);
    }

    public int Size => FailureReason is null ? 1 + Types.Count : 1 + ReasonString.Size(FailureReason);

    public void Encode(ref SpanWriter writer)
    {
        if (FailureReason is not null)
        {
            writer.WriteByte(0);
            ReasonString.Encode(ref writer, FailureReason);
            return;
        }
        writer.WriteByte(checked((byte)Types.Count));
        foreach (var t in Types) writer.WriteByte(t);
    }
}
