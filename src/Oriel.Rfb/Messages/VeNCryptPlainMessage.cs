using System.Text;
using Oriel.Wire;

namespace Oriel.Rfb.Messages;

/// <summary>
/// VeNCrypt Plain credentials, rfbproto "VeNCrypt", "Plain subtype": username-length u32,
/// password-length u32, username, password (UTF-8).
/// </summary>
public sealed record VeNCryptPlainMessage(string Username, string Password) : IRfbClientMessage
{
    public int Size => 8 + Encoding.UTF8.GetByteCount(Username) + Encoding.UTF8.GetByteCount(Password);

    public void Encode(ref SpanWriter writer)
    {
        var user = Encoding.UTF8.GetBytes(Username);
        var pass = Encoding.UTF8.GetBytes(Password);
        writer.WriteUInt32((uint)user.Length);
        writer.WriteUInt32((uint)pass.Length);
        writer.WriteBytes(user);
        writer.WriteBytes(pass);
        Array.Clear(pass);
    }

    public override string ToString() => $"VeNCryptPlainMessage {{ Username = {Username}, Password = *** }}";
}
