namespace Oriel.Gateway.Links;

/// <summary>Audit kinds of Web Desktop links (same dotted style as <see cref="Audit.AuditKinds"/>; never the token itself).</summary>
public static class LinkAuditKinds
{
    /// <summary>A link was made. Actor: who asked; target: the target id; details: user, linkId, viewer, expiresAt.</summary>
    public const string Create = "link.create";

    /// <summary>
    /// A non-administrator was refused making a link (no role with createLinks, a target outside those roles, or an
    /// administrator as the link's user). Actor: who asked; target: the target id asked for; details: user, reason, apiKey.
    /// </summary>
    public const string CreateDenied = "link.create.denied";

    /// <summary>A link was opened and signed its user in. Actor: that user; details: linkId, viewer, issuer.</summary>
    public const string Use = "link.use";

    /// <summary>A link was refused. Details: reason (a <see cref="LinkRefusals.Code"/>), linkId when the signature held.</summary>
    public const string Refused = "link.refused";
}
