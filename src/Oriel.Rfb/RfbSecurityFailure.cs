namespace Oriel.Rfb;

/// <summary>Why the security handshake failed.</summary>
public enum RfbSecurityFailure
{
    /// <summary>The server refused the connection before authentication and said why (a zero-length security-type list, or type 0).</summary>
    ConnectionFailed,

    /// <summary>None of the offered security types or VeNCrypt subtypes is allowed by the policy (or usable with the given credentials).</summary>
    NoAcceptableSecurityType,

    /// <summary>The server picked a type needing credentials the options do not hold.</summary>
    MissingCredentials,

    /// <summary>SecurityResult said "failed" (wrong password, wrong user).</summary>
    AuthenticationFailed,

    /// <summary>SecurityResult said "too many attempts".</summary>
    TooManyAttempts,

    /// <summary>The VeNCrypt negotiation failed (version or subtype refused).</summary>
    VeNCryptFailed,

    /// <summary>The password cannot be used as a DES key (it yields a weak key, e.g. an empty password).</summary>
    UnusablePassword,
}
