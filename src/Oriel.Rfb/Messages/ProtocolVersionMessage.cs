using System.Text;
using Oriel.Wire;

namespace Oriel.Rfb.Messages;

/// <summary>
/// ProtocolVersion, [RFC 6143] 7.1.1: 12 ASCII bytes "RFB xxx.yyy\n", xxx and yyy zero-padded
/// decimal major and minor numbers. Sent by the server first, answered by the client.
/// </summary>
public readonly record struct ProtocolVersionMessage(int Major, int Minor) : IRfbClientMessage
{
    /// <summary>Fixed length on the wire.</summary>
    public const int Length = 12;

    public static readonly ProtocolVersionMessage V33 = new(3, 3);
    public static readonly ProtocolVersionMessage V37 = new(3, 7);
    public static readonly ProtocolVersionMessage V38 = new(3, 8);

    public int Size => Length;

    public static ProtocolVersionMessage Decode(ref SpanReader reader)
    {
        var start = reader.Position;
        var b = reader.ReadSpan(Length, "ProtocolVersion");
        if (b[0] != 'R' || b[1] != 'F' || b[2] != 'B' || b[3] != ' ' || b[7] != '.' || b[11] != '\n')
        {
            throw new DecodeException("ProtocolVersion", start, "not \"RFB xxx.yyy\\n\"");
        }
        return new ProtocolVersionMessage(Digits(b.Slice(4, 3), start + 4), Digits(b.Slice(8, 3), start + 8));
    }

    private static int Digits(ReadOnlySpan<byte> s, int offset)
    {
        var v = 0;
        foreach (var c in s)
        {
            if (c is < (byte)'0' or > (byte)'9')
            {
                throw new DecodeException("ProtocolVersion", offset, "version number is not three decimal digits");
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    public void Encode(ref SpanWriter writer)
    {
        if (Major is < 0 or > 999 || Minor is < 0 or > 999)
        {
            throw new InvalidOperationException("protocol version numbers must be 0..999");
        }
        writer.WriteBytes(Encoding.ASCII.GetBytes($"RFB {Major:D3}.{Minor:D3}\n"));
    }

    /// <summary>
    /// The version a client supporting 3.3, 3.7 and 3.8 answers with: the highest one not above
    /// the server's. Unpublished versions between (3.4, 3.5, 3.6) are treated as 3.3 as [RFC 6143]
    /// 7.1.1 says; anything at or above 3.8 (3.889, 4.x) gets 3.8.
    /// </summary>
    public ProtocolVersionMessage Negotiate()
    {
        if (Major < 3)
        {
            throw new DecodeException("ProtocolVersion", $"server version {Major}.{Minor} is older than 3.3");
        }
        if (Major > 3 || Minor >= 8) return V38;
        if (Minor == 7) return V37;
        if (Minor >= 3) return V33;
        throw new DecodeException("ProtocolVersion", $"server version {Major}.{Minor} is older than 3.3");
    }

    public override string ToString() => $"{Major}.{Minor}";
}
