using Oriel.Wire;

namespace Oriel.Rfb.Messages;

/// <summary>
/// The security type chosen by a version 3.3 server, [RFC 6143] 7.1.2: security-type u32
/// (0 invalid, 1 None, 2 VNC Authentication). Zero is followed by reason-length u32 and a reason.
/// </summary>
public sealed record SecurityTypeMessage(uint Type, string? FailureReason)
{
    /// <summary>Cap on the failure reason length.</summary>
    public const int MaxReasonLength = 64 * 1024;

    public static bool TryFrame(ReadOnlySpan<byte> input, out int length)
    {
        length = 0;
        if (input.Length < 4) return false;
        if (System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(input) != 0)
        {
            length = 4;
            return true;
        }
        if (!ReasonString.TryFrame(input[4..], MaxReasonLength, "SecurityType", out var reasonLength)) return false;
        length = 4 + reasonLength;
        return true;
    }

    public static SecurityTypeMessage Decode(ref SpanReader reader)
    {
        var type = reader.ReadUInt32("security-type");
        return new SecurityTypeMessage(type, type == 0 ? ReasonString.Decode(ref reader, MaxReasonLength) : null);
    }

    public int Size => FailureReason is null ? 4 : 4 + ReasonString.Size(FailureReason);

    public void Encode(ref SpanWriter writer)
    {
        writer.WriteUInt32(FailureReason is null ? Type : 0);
        if (FailureReason is not null) ReasonString.Encode(ref writer, FailureReason);
    }
}
