using Microsoft.AspNetCore.Http;

namespace Oriel.Gateway.Links;

/// <summary>The audit code, HTTP status, title and sentence of each <see cref="LinkRefusal"/>.</summary>
public static class LinkRefusals
{
    /// <summary>The stable code written to the audit log's <c>reason</c>.</summary>
    public static string Code(LinkRefusal refusal) => refusal switch
    {
        LinkRefusal.Malformed => "malformed",
        LinkRefusal.BadSignature => "bad-signature",
        LinkRefusal.Expired => "expired",
        LinkRefusal.Used => "used",
        LinkRefusal.Unknown => "unknown",
        LinkRefusal.UserGone => "user-gone",
        LinkRefusal.NotAllowed => "not-allowed",
        LinkRefusal.WrongUser => "wrong-user",
        _ => throw new ArgumentOutOfRangeException(nameof(refusal)),
    };

    /// <summary>410 Gone for links that were good once (used, expired); 403 for the rest.</summary>
    public static int Status(LinkRefusal refusal) =>
        refusal is LinkRefusal.Used or LinkRefusal.Expired ? StatusCodes.Status410Gone : StatusCodes.Status403Forbidden;

    public static string Title(LinkRefusal refusal) => refusal switch
    {
        LinkRefusal.Expired => "This link has expired",
        LinkRefusal.Used => "This link has already been used",
        LinkRefusal.WrongUser => "This link is for a different account",
        LinkRefusal.UserGone or LinkRefusal.NotAllowed => "This link can no longer open the desktop",
        _ => "This link is not valid",
    };

    /// <summary>What happened and what to do, in words for the person holding the link.</summary>
    public static string Sentence(LinkRefusal refusal) => refusal switch
    {
        LinkRefusal.Malformed =>
            "The address is not a complete desktop link; it may have been cut off when it was copied. Ask for a new link.",
        LinkRefusal.BadSignature =>
            "The link was altered after it was made, or was made by another gateway, so it cannot be trusted. Ask for a new link.",
        LinkRefusal.Expired =>
            "Desktop links work for a few minutes only, and this one's time is up. Ask for a new link.",
        LinkRefusal.Used =>
            "Each desktop link opens a desktop once, and this one has been opened already. Ask for a new link.",
        LinkRefusal.Unknown =>
            "This gateway has no record of the link. Ask for a new link.",
        LinkRefusal.UserGone =>
            "The account the link was made for no longer exists.",
        LinkRefusal.NotAllowed =>
            "The account the link was made for is no longer allowed to open this desktop. Ask an administrator.",
        LinkRefusal.WrongUser =>
            "This browser is signed in to Oriel as someone else. Sign out first, then open the link again.",
        _ => throw new ArgumentOutOfRangeException(nameof(refusal)),
    };
}
