using Oriel.Wire;

namespace Oriel.Tdp;

/// <summary>
/// RFD 37 message 28 "notification", server → client: a message for the user. Severity
/// <see cref="Severity.Error"/> means the session is ending (Oriel sends it, with a readable reason,
/// before closing on malformed input).
/// <c>| 28 | message_length uint32 | message []byte | severity byte |</c>; UTF-8, at most
/// <see cref="TdpLimits.MaxTextBytes"/>; severity 0..2.
/// </summary>
public sealed record NotificationMessage(string Message, Severity Severity) : TdpMessage
{
    /// <summary>type(1) message_length(4) severity(1).</summary>
    public const int FixedOverhead = 6;

    public override TdpMessageType Type => TdpMessageType.Notification;

    public override int Size => FixedOverhead + TdpFields.Utf8Length(Message);

    public override void Encode(ref SpanWriter w)
    {
        TdpFields.CheckEnum((byte)Severity, (byte)Severity.Error, "severity");
        TdpFields.CheckCap(TdpFields.Utf8Length(Message), TdpLimits.MaxTextBytes, "message_length");
        w.WriteByte((byte)Type);
        w.WriteString32(Message);
        w.WriteByte((byte)Severity);
    }

    internal static NotificationMessage Decode(ref SpanReader r)
    {
        var message = r.ReadString32(TdpLimits.MaxTextBytes, "message_length");
        var severity = (Severity)TdpFields.ReadEnum(ref r, (byte)Severity.Error, "severity");
        return new(message, severity);
    }
}
