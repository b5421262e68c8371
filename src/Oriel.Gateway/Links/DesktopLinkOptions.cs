namespace Oriel.Gateway.Links;

/// <summary>Lifetimes of Web Desktop links and of the sign-in sessions they start.</summary>
public sealed class DesktopLinkOptions
{
    /// <summary>The hard cap on a link's lifetime.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(10);

    /// <summary>The shortest lifetime a link may be given.</summary>
    public static readonly TimeSpan MinLifetime = TimeSpan.FromSeconds(10);

    /// <summary>How long a link stays valid when the request names no lifetime.</summary>
    public TimeSpan DefaultLifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The sign-in session a link starts ends this long after the link is opened, however active (the cookie's
    /// ticket expires; a desktop already open keeps running). Shorter than a password sign-in on purpose.
    /// </summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Link rows are deleted this long after they expire (kept a while for "already used" answers and audits).</summary>
    public TimeSpan RetainAfterExpiry { get; set; } = TimeSpan.FromDays(1);
}
