using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Identity;

/// <summary>The result of a sign-in attempt. On success, <see cref="SessionId"/> is the new (rotated) session id.</summary>
public sealed record SignInResult(SignInOutcome Outcome, UserRecord? User = null, string? SessionId = null, TimeSpan? RetryAfter = null);
