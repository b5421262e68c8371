using Oriel.Wire;

namespace Oriel.Rfb.Messages;

/// <summary>
/// SecurityResult, [RFC 6143] 7.1.3: status u32 (0 OK, 1 failed, 2 failed: too many attempts).
/// From version 3.8 a failure is followed by reason-length u32 and a reason string.
/// </summary>
public sealed record SecurityResultMessage(uint Status, string? Reason)
{
    public const uint Ok = 0;
    public const uint Failed = 1;
    public const uint TooManyAttempts = 2;

    /// <summary>Cap on the failure reason length.</summary>
    public const int MaxReasonLength = 64 * 1024;

    /// <param name="hasReason">True for version 3.8, where a failure carries a reason.</param>
    public static bool TryFrame(ReadOnlySpan<byte> input, bool hasReason, out int length)
    {
        length = 0;
        if (input.Length < 4) return false;
        if (!hasReason || System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(input) == Ok)
        {
            length = 4;
            return true;
        }
        if (!ReasonString.TryFrame(input[4..], MaxReasonLength, "SecurityResult", out var reasonLength)) return false;
        length = 4 + reasonLength;
        return true;
    }

    public static SecurityResultMessage Decode(ref SpanReader reader, bool hasReason)
    {
        var status = reader.ReadUInt32("status");
        return new SecurityResultMessage(status, status != Ok && hasReason ? ReasonString.Decode(ref reader, MaxReasonLength) : null);
    }

    public int Size => Reason is null ? 4 : 4 + ReasonString.Size(Reason);

    public void Encode(ref SpanWriter writer)
    {
        writer.WriteUInt32(Status);
        if (Reason is not null) ReasonString.Encode(ref writer, Reason);
    }
}
