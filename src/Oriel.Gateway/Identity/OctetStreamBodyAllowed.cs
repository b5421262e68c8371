namespace Oriel.Gateway.Identity;

/// <summary>
/// Endpoint metadata: a state-changing request to this endpoint may carry a raw body of type
/// <c>application/octet-stream</c> instead of JSON (the file panel's upload chunks). <see cref="CsrfProtection"/> still
/// applies its Origin and token checks; the body type is still one no HTML form can send, so its third layer keeps its
/// meaning.
/// </summary>
public sealed class OctetStreamBodyAllowed
{
    private OctetStreamBodyAllowed()
    {
    }

    public static OctetStreamBodyAllowed Instance { get; } = new();

    /// <summary>True when <paramref name="contentType"/> is <c>application/octet-stream</c> (parameters ignored).</summary>
    public static bool IsOctetStream(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return false;
        }

        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var media = (semicolon < 0 ? contentType : contentType[..semicolon]).Trim();
        return string.Equals(media, "application/octet-stream", StringComparison.OrdinalIgnoreCase);
    }
}
