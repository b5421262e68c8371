using System.Text;
using Oriel.Wire;

namespace Oriel.Tdp;

/// <summary>
/// RFD 37 message 10 "MFA": a per-session MFA challenge (server → client) or the browser's response
/// (client → server), as JSON. <c>| 10 | mfa_type byte | length uint32 | JSON []byte |</c>; mfa_type
/// 'n' (WebAuthn) or 'u' (U2F); JSON is UTF-8 (not parsed here), at most <see cref="TdpLimits.MaxMfaJsonBytes"/>.
/// <see cref="ToString"/> shows only the JSON length.
/// </summary>
public sealed record MfaMessage(MfaType MfaType, string Json) : TdpMessage
{
    /// <summary>type(1) mfa_type(1) length(4).</summary>
    public const int HeaderSize = 6;

    public override TdpMessageType Type => TdpMessageType.Mfa;

    public override int Size => HeaderSize + TdpFields.Utf8Length(Json);

    public override void Encode(ref SpanWriter w)
    {
        if (MfaType is not (MfaType.WebAuthn or MfaType.U2F))
        {
            throw new ArgumentOutOfRangeException(nameof(MfaType), MfaType, $"invalid mfa_type {(byte)MfaType}");
        }
        TdpFields.CheckCap(TdpFields.Utf8Length(Json), TdpLimits.MaxMfaJsonBytes, "length");
        w.WriteByte((byte)Type);
        w.WriteByte((byte)MfaType);
        w.WriteString32(Json);
    }

    internal static MfaMessage Decode(ref SpanReader r)
    {
        if (r.Remaining >= 1 && r.RemainingSpan[0] is not ((byte)MfaType.WebAuthn or (byte)MfaType.U2F))
        {
            throw r.Error($"invalid mfa_type {r.RemainingSpan[0]}");
        }
        var mfaType = (MfaType)r.ReadByte("mfa_type");
        var json = r.ReadString32(TdpLimits.MaxMfaJsonBytes, "length");
        return new(mfaType, json);
    }

    protected override bool PrintMembers(StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Append("MfaType = ").Append(MfaType).Append(", JsonLength = ").Append(Json.Length);
        return true;
    }
}
