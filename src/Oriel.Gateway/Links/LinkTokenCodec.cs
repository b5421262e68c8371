using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using Oriel.Wire;

namespace Oriel.Gateway.Links;

/// <summary>
/// Signs and verifies link tokens: <c>base64url(payload) "." base64url(HMAC-SHA256(key, payload))</c>, unpadded
/// (RFC 4648 section 5), payload as in <see cref="LinkTokenPayload"/>. Verification checks length, alphabet and
/// the signature (in constant time) before it decodes a single payload field. Pure: no clock, no I/O; expiry and
/// single use are the caller's (<see cref="LinkService"/>).
/// </summary>
public sealed class LinkTokenCodec(LinkSigningKey key)
{
    public const int MacLength = 32;

    /// <summary>The longest token accepted; longer input is refused unread.</summary>
    public static readonly int MaxTokenLength = Base64Url.GetEncodedLength(LinkTokenPayload.MaxSize) + 1 + Base64Url.GetEncodedLength(MacLength);

    private static readonly int MacChars = Base64Url.GetEncodedLength(MacLength);

    private static readonly SearchValues<char> Alphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    public string Sign(LinkTokenPayload payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var bytes = payload.ToBytes();
        Span<byte> mac = stackalloc byte[MacLength];
        HMACSHA256.HashData(key.Active, bytes, mac);
        return Base64Url.EncodeToString(bytes) + "." + Base64Url.EncodeToString(mac);
    }

    /// <summary>
    /// Checks a token's form and signature and decodes its payload. Returns null and the payload when the token is
    /// genuine (not yet checked: expiry, single use, binding), or the refusal.
    /// </summary>
    public LinkRefusal? Verify(string? token, out LinkTokenPayload? payload)
    {
        payload = null;
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            return LinkRefusal.Malformed;
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0)
        {
            return LinkRefusal.Malformed;
        }

        var payloadChars = token.AsSpan(0, dot);
        var macChars = token.AsSpan(dot + 1);
        if (macChars.Length != MacChars || payloadChars.ContainsAnyExcept(Alphabet) || macChars.ContainsAnyExcept(Alphabet))
        {
            return LinkRefusal.Malformed;
        }

        Span<byte> payloadBytes = stackalloc byte[LinkTokenPayload.MaxSize + 3];
        Span<byte> presented = stackalloc byte[MacLength + 3];
        if (!TryDecodeCanonical(payloadChars, payloadBytes, out var payloadLength)
            || !TryDecodeCanonical(macChars, presented, out var macLength) || macLength != MacLength
            || payloadLength > LinkTokenPayload.MaxSize)
        {
            return LinkRefusal.Malformed;
        }

        var signed = payloadBytes[..payloadLength];
        Span<byte> expected = stackalloc byte[MacLength];
        var genuine = false;
        foreach (var k in key.All)
        {
            HMACSHA256.HashData(k, signed, expected);
            genuine |= CryptographicOperations.FixedTimeEquals(expected, presented[..MacLength]);
        }

        if (!genuine)
        {
            return LinkRefusal.BadSignature;
        }

        try
        {
            payload = LinkTokenPayload.Decode(signed);
            return null;
        }
        catch (DecodeException)
        {
            // Signed by us but not decodable: a newer token version, or a bug. Either way not usable here.
            return LinkRefusal.Malformed;
        }
    }

    /// <summary>Decodes unpadded base64url, refusing encodings that do not round-trip (non-zero trailing bits).</summary>
    private static bool TryDecodeCanonical(ReadOnlySpan<char> text, Span<byte> destination, out int written)
    {
        written = 0;
        if (text.Length % 4 == 1 || Base64Url.GetMaxDecodedLength(text.Length) > destination.Length)
        {
            return false;
        }

        if (Base64Url.DecodeFromChars(text, destination, out var consumed, out written) != OperationStatus.Done || consumed != text.Length)
        {
            return false;
        }

        Span<char> again = stackalloc char[text.Length];
        return Base64Url.TryEncodeToChars(destination[..written], again, out var charsWritten)
            && charsWritten == text.Length && again.SequenceEqual(text);
    }
}
