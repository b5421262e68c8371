using System.Text;
using System.Text.Unicode;
using Oriel.Wire;

namespace Oriel.Tdp;

/// <summary>
/// RFD 37 message 6 "clipboard data", either direction: server → client is a copy on the remote
/// desktop, client → server a paste. <c>| 6 | length uint32 | data []byte |</c>; Oriel defines data
/// as UTF-8 text (validated), at most <see cref="TdpLimits.MaxClipboardBytes"/>.
/// <see cref="ToString"/> shows only the length: clipboard contents are never logged.
/// </summary>
public sealed record ClipboardDataMessage(byte[] Data) : TdpMessage
{
    /// <summary>type(1) length(4).</summary>
    public const int HeaderSize = 5;

    public override TdpMessageType Type => TdpMessageType.ClipboardData;

    public override int Size => HeaderSize + Data.Length;

    /// <summary>The clipboard text.</summary>
    public string Text => SpanReader.StrictUtf8.GetString(Data);

    /// <summary>A clipboard message carrying <paramref name="text"/> as UTF-8.</summary>
    public static ClipboardDataMessage FromText(string text) => new(Encoding.UTF8.GetBytes(text));

    public override void Encode(ref SpanWriter w)
    {
        TdpFields.CheckCap(Data.Length, TdpLimits.MaxClipboardBytes, "length");
        if (!Utf8.IsValid(Data))
        {
            throw new ArgumentException("clipboard data is not valid UTF-8", nameof(Data));
        }
        w.WriteByte((byte)Type);
        w.WriteUInt32((uint)Data.Length);
        w.WriteBytes(Data);
    }

    internal static ClipboardDataMessage Decode(ref SpanReader r)
    {
        var length = r.ReadLength32(TdpLimits.MaxClipboardBytes, "length");
        return new(TdpFields.ReadUtf8Bytes(ref r, length, "data"));
    }

    protected override bool PrintMembers(StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Append("Length = ").Append(Data.Length);
        return true;
    }
}
