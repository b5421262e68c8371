using System.Security.Cryptography;
using System.Text;

namespace Oriel.Rfb;

/// <summary>
/// VNC Authentication, [RFC 6143] 7.2.2: the response is the DES-ECB encryption of the 16-byte
/// challenge under a key made of the first 8 password bytes (UTF-8, zero-padded), each byte's bit
/// order reversed (the RFC's DES numbers the lowest bit first).
/// </summary>
public static class VncAuthentication
{
    public const int ChallengeLength = 16;

    /// <summary>The 16-byte response to <paramref name="challenge"/>.</summary>
    /// <exception cref="RfbSecurityException">The password makes a DES weak or semi-weak key (e.g. it is empty).</exception>
    public static byte[] ComputeResponse(ReadOnlySpan<byte> challenge, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (challenge.Length != ChallengeLength) throw new ArgumentException("the challenge is 16 bytes", nameof(challenge));
        Span<byte> key = stackalloc byte[8];
        key.Clear();
        var utf8 = Encoding.UTF8.GetBytes(password);
        utf8.AsSpan(0, Math.Min(8, utf8.Length)).CopyTo(key);
        Array.Clear(utf8);
        try
        {
            return EncryptEcb(key, challenge);
        }
        finally
        {
            key.Clear();
        }
    }

    /// <summary>DES-ECB of <paramref name="data"/> (a multiple of 8 bytes) under the VNC-convention key <paramref name="key"/> (bits reversed before use).</summary>
    internal static byte[] EncryptEcb(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data)
    {
        var reversed = new byte[8];
        for (var i = 0; i < 8; i++) reversed[i] = ReverseBits(key[i]);
        if (DES.IsWeakKey(reversed) || DES.IsSemiWeakKey(reversed))
        {
            throw new RfbSecurityException(RfbSecurityFailure.UnusablePassword, "the password makes a DES weak key (is it empty?)");
        }
        try
        {
#pragma warning disable CA5351 // DES is what RFC 6143 VNC Authentication requires.
            using var des = DES.Create();
#pragma warning restore CA5351
            des.Key = reversed;
            return des.EncryptEcb(data, PaddingMode.None);
        }
        finally
        {
            Array.Clear(reversed);
        }
    }

    private static byte ReverseBits(byte b)
    {
        var r = 0;
        for (var i = 0; i < 8; i++)
        {
            r = (r << 1) | ((b >> i) & 1);
        }
        return (byte)r;
    }
}
