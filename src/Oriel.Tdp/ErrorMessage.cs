using Oriel.Wire;

namespace Oriel.Tdp;

/// <summary>
/// RFD 37 message 9 "error", server → client: an error occurred. RFD 37 prefers
/// <see cref="NotificationMessage"/> with <see cref="Severity.Error"/>, which Oriel sends instead.
/// <c>| 9 | message_length uint32 | message []byte |</c>; UTF-8, at most <see cref="TdpLimits.MaxTextBytes"/>.
/// </summary>
public sealed record ErrorMessage(string Message) : TdpMessage
{
    /// <summary>type(1) message_length(4).</summary>
    public const int HeaderSize = 5;

    public override TdpMessageType Type => TdpMessageType.Error;

    public override int Size => HeaderSize + TdpFields.Utf8Length(Message);

    public override void Encode(ref SpanWriter w)
    {
        TdpFields.CheckCap(TdpFields.Utf8Length(Message), TdpLimits.MaxTextBytes, "message_length");
        w.WriteByte((byte)Type);
        w.WriteString32(Message);
    }

    internal static ErrorMessage Decode(ref SpanReader r) =>
        new(r.ReadString32(TdpLimits.MaxTextBytes, "message_length"));
}
