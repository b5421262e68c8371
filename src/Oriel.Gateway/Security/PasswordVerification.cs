namespace Oriel.Gateway.Security;

/// <summary>The result of checking a password against a stored hash.</summary>
public enum PasswordVerification
{
    Failed,
    Success,

    /// <summary>Correct, but hashed with outdated parameters: store a fresh hash.</summary>
    SuccessRehashNeeded,
}
