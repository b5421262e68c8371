using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Links;

/// <summary>A freshly made link: the token and its gateway-relative path (<c>/link/TOKEN</c>).</summary>
public sealed record CreatedLink(string LinkId, string Token, string UserName, string TargetId, LinkViewer Viewer, DateTimeOffset ExpiresAt)
{
    public const string PathPrefix = "/link/";

    public string Path => PathPrefix + Token;

    /// <summary>The absolute URL under <paramref name="baseUrl"/> (an origin, optionally with a path prefix).</summary>
    public string UrlUnder(string baseUrl)
    {
        ArgumentException.ThrowIfNullOrEmpty(baseUrl);
        return baseUrl.TrimEnd('/') + Path;
    }
}
