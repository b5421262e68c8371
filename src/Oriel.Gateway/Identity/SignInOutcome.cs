namespace Oriel.Gateway.Identity;

public enum SignInOutcome
{
    Success,

    /// <summary>Unknown user or wrong password: callers must not tell which.</summary>
    InvalidCredentials,

    /// <summary>Too many recent failures; see <see cref="SignInResult.RetryAfter"/>.</summary>
    Throttled,
}
