using System.Diagnostics.CodeAnalysis;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Links;

/// <summary>Names and browser paths of the <see cref="LinkViewer"/>s.</summary>
public static class LinkViewers
{
    public const string BuiltinName = "builtin";
    public const string NoVncName = "novnc";

    public static string Name(LinkViewer viewer) => viewer switch
    {
        LinkViewer.Builtin => BuiltinName,
        LinkViewer.NoVnc => NoVncName,
        _ => throw new ArgumentOutOfRangeException(nameof(viewer)),
    };

    /// <summary>Parses "builtin" or "novnc" (case-insensitive); null or empty means builtin.</summary>
    public static bool TryParse(string? name, [NotNullWhen(true)] out LinkViewer? viewer)
    {
        viewer = string.IsNullOrEmpty(name) || string.Equals(name, BuiltinName, StringComparison.OrdinalIgnoreCase) ? LinkViewer.Builtin
            : string.Equals(name, NoVncName, StringComparison.OrdinalIgnoreCase) ? LinkViewer.NoVnc
            : null;
        return viewer is not null;
    }

    /// <summary>The gateway-relative path the browser is sent to once the link is accepted.</summary>
    public static string PathFor(LinkViewer viewer, string targetId)
    {
        ArgumentNullException.ThrowIfNull(targetId);
        var id = Uri.EscapeDataString(targetId);
        return viewer switch
        {
            LinkViewer.Builtin => "/#/desktop/" + id,
            LinkViewer.NoVnc => "/novnc/?target=" + id,
            _ => throw new ArgumentOutOfRangeException(nameof(viewer)),
        };
    }
}
