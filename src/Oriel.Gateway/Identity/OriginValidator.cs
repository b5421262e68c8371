using Microsoft.AspNetCore.Http;
using Oriel.Gateway.Configuration;

namespace Oriel.Gateway.Identity;

/// <inheritdoc cref="IOriginValidator"/>
public sealed class OriginValidator : IOriginValidator
{
    private readonly HashSet<string> _configured;

    public OriginValidator(GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _configured = new HashSet<string>(StringComparer.Ordinal);
        foreach (var url in options.PublicUrls)
        {
            if (Normalize(url) is { } origin)
            {
                _configured.Add(origin);
            }
        }
    }

    public bool IsAllowed(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var header = context.Request.Headers.Origin;
        if (header.Count != 1 || Normalize(header[0]) is not { } origin)
        {
            return false;
        }

        if (_configured.Contains(origin))
        {
            return true;
        }

        var own = Normalize($"{context.Request.Scheme}://{context.Request.Host.Value}");
        return own is not null && origin == own;
    }

    /// <summary>scheme://host[:port] in lowercase, default ports dropped; null when not an absolute http(s) URL.</summary>
    public static string? Normalize(string? url)
    {
        if (string.IsNullOrEmpty(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return null;
        }

        return uri.IsDefaultPort ? $"{uri.Scheme}://{uri.IdnHost}" : $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}";
    }
}
