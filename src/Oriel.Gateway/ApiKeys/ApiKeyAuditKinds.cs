namespace Oriel.Gateway.ApiKeys;

/// <summary>Audit kinds of API keys (same dotted style as <see cref="Audit.AuditKinds"/>). Never the secret.</summary>
public static class ApiKeyAuditKinds
{
    /// <summary>A key was made. Actor: who; target: the key's user; details: keyId, name, prefix, expiresAt.</summary>
    public const string Create = "apikey.create";

    /// <summary>A key was revoked. Actor: who; target: the key's user; details: keyId, name.</summary>
    public const string Revoke = "apikey.revoke";

    /// <summary>
    /// A bearer key was refused. Actor: the key's user when the key was found; details: reason
    /// (<c>malformed</c>, <c>unknown</c>, <c>revoked</c>, <c>expired</c>, <c>user-gone</c>), keyId when found,
    /// prefix when the secret was well formed.
    /// </summary>
    public const string Failure = "apikey.failure";

    /// <summary>A bearer key was not even checked: too many recent failures from the address.</summary>
    public const string Throttled = "apikey.throttled";

    /// <summary>
    /// A bearer credential was presented where keys never authenticate (a session WebSocket or any upgrade, anything
    /// under /api/sessions, anything outside /api), and was not checked. Details: method, path. Written once per
    /// address and window, then counted (<see cref="Audit.RefusalAuditor"/>): the key is not verified, so anyone can cause it.
    /// </summary>
    public const string WrongUse = "apikey.wrong-use";
}
