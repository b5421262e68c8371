namespace Oriel.Gateway.Links;

/// <summary>Why a link was not accepted. Each has a stable audit code, an HTTP status and a sentence (<see cref="LinkRefusals"/>).</summary>
public enum LinkRefusal
{
    /// <summary>Not a link token at all: wrong length, characters, structure or version.</summary>
    Malformed,

    /// <summary>Well formed, but the signature does not match (altered, or made with another key).</summary>
    BadSignature,

    Expired,

    /// <summary>Already opened once.</summary>
    Used,

    /// <summary>Correctly signed, but this gateway's database has no such link (or it differs from the token).</summary>
    Unknown,

    /// <summary>The account the link was made for no longer exists.</summary>
    UserGone,

    /// <summary>The account may no longer open the target (roles changed, target removed, password change pending).</summary>
    NotAllowed,

    /// <summary>This browser is signed in as a different account than the link's.</summary>
    WrongUser,
}
