using System.Security.Claims;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Security;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Identity;

/// <summary>
/// Local-password sign-in with throttling, server-side sessions (the cookie holds a random session id; the
/// database holds its SHA-256, so deleting the row revokes the cookie), password change and sign-out.
/// </summary>
public sealed class SignInService(
    IOrielStore store,
    PasswordHasher hasher,
    SignInThrottle throttle,
    IAuditLog audit,
    RefusalAuditor refusals,
    GatewayOptions options,
    TimeProvider time,
    ILogger<SignInService> log)
{
    /// <summary>How often a session's last-seen time is written (not on every request).</summary>
    private static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    public async Task<SignInResult> SignInAsync(string username, string password, string? clientIp, string? userAgent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(password);
        username = username.Trim();
        var oversize = username.Length > PasswordPolicy.MaxUsernameLength || password.Length > PasswordPolicy.MaxLength;
        if (oversize)
        {
            username = username[..Math.Min(username.Length, PasswordPolicy.MaxUsernameLength)]; // never a long throttle key
        }

        // Reserved before any hashing: concurrent guesses cannot all pass a check made before any of them is counted,
        // and every PBKDF2 run on this path (the dummy ones too) is behind a reservation.
        var reservation = await throttle.TryReserveAsync(username, clientIp, ct).ConfigureAwait(false);
        if (reservation.RetryAfter is { } wait)
        {
            // Refused unverified and unauthenticated: written once per address and window, then counted (RefusalAuditor).
            if (await refusals.RefuseAsync(new AuditEvent { Kind = AuditKinds.SignInThrottled, Actor = username, ClientIp = clientIp }, "throttled", ct)
                .ConfigureAwait(false))
            {
                Log.SignInThrottled(log, clientIp);
            }

            return new SignInResult(SignInOutcome.Throttled, RetryAfter: wait);
        }

        if (oversize)
        {
            hasher.VerifyDummy(""); // the same time as a real check; the reservation counted it as a failure
            return new SignInResult(SignInOutcome.InvalidCredentials);
        }

        var user = await store.FindUserByNameAsync(username, ct).ConfigureAwait(false);
        var verdict = PasswordVerification.Failed;
        if (user is null)
        {
            hasher.VerifyDummy(password);
        }
        else
        {
            verdict = hasher.Verify(password, user.PasswordHash);
        }

        if (user is null || verdict == PasswordVerification.Failed)
        {
            Log.SignInFailed(log, clientIp); // the reservation already counted it
            await audit.WriteAsync(new AuditEvent { Kind = AuditKinds.SignInFailure, Actor = username, ClientIp = clientIp }, ct).ConfigureAwait(false);
            return new SignInResult(SignInOutcome.InvalidCredentials);
        }

        var now = time.GetUtcNow();
        if (verdict == PasswordVerification.SuccessRehashNeeded)
        {
            user = user with { PasswordHash = hasher.Hash(password) };
            await store.UpdateUserAsync(user, now, ct).ConfigureAwait(false);
            Log.PasswordRehashed(log, user.Username);
        }

        await throttle.RecordSuccessAsync(username, reservation, ct).ConfigureAwait(false);
        var sessionId = Secrets.NewToken();
        await store.CreateSignInSessionAsync(
            new SignInSessionRecord(Secrets.Sha256Hex(sessionId), user.Id, now, now, Expiry(now, now), clientIp, Truncate(userAgent, 256)),
            ct).ConfigureAwait(false);
        Log.SignedIn(log, user.Username, clientIp);
        await audit.WriteAsync(
            new AuditEvent { Kind = AuditKinds.SignInSuccess, Actor = user.Username, ClientIp = clientIp, SessionId = SessionRef(sessionId) },
            ct).ConfigureAwait(false);
        return new SignInResult(SignInOutcome.Success, user, sessionId);
    }

    /// <summary>
    /// Checks the cookie's session against the database and returns a fresh principal (current admin flag,
    /// must-change state, and the session's scope when a link opened it), or null when the session was revoked, expired, or its user removed.
    /// </summary>
    public async Task<ClaimsPrincipal?> ValidateAsync(ClaimsPrincipal cookie, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cookie);
        var sessionId = cookie.GetSessionId();
        if (sessionId is null)
        {
            return null;
        }

        var idHash = Secrets.Sha256Hex(sessionId);
        var session = await store.FindSignInSessionAsync(idHash, ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        if (session is null || session.ExpiresAt <= now || session.UserId != cookie.GetUserId())
        {
            return null;
        }

        var user = await store.FindUserByIdAsync(session.UserId, ct).ConfigureAwait(false);
        if (user is null)
        {
            return null;
        }

        if (now - session.LastSeenAt >= TouchInterval)
        {
            await store.TouchSignInSessionAsync(idHash, now, Expiry(session.CreatedAt, now), ct).ConfigureAwait(false);
        }

        // The scope comes from the row, never from the cookie: the cookie only names the session.
        return OrielClaims.Create(user, sessionId, session.ScopeTargetId);
    }

    public async Task SignOutAsync(ClaimsPrincipal user, string? clientIp, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.GetSessionId() is { } sessionId)
        {
            await store.DeleteSignInSessionAsync(Secrets.Sha256Hex(sessionId), ct).ConfigureAwait(false);
            await audit.WriteAsync(
                new AuditEvent { Kind = AuditKinds.SignOut, Actor = user.Identity?.Name, ClientIp = clientIp, SessionId = SessionRef(sessionId) },
                ct).ConfigureAwait(false);
        }
    }

    /// <summary>Revokes a session id presented at sign-in time, so the old cookie dies when a new one is issued.</summary>
    public Task RevokeAsync(string sessionId, CancellationToken ct) => store.DeleteSignInSessionAsync(Secrets.Sha256Hex(sessionId), ct);

    /// <summary>
    /// Changes the signed-in user's own password; other sessions of the user are revoked, this one kept.
    /// Returns null on success or the reason for failure. A wrong current password counts as a failed sign-in.
    /// </summary>
    public async Task<(string? Error, bool Throttled)> ChangePasswordAsync(
        ClaimsPrincipal principal, string currentPassword, string newPassword, string? clientIp, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var user = principal.GetUserId() is { } id ? await store.FindUserByIdAsync(id, ct).ConfigureAwait(false) : null;
        if (user is null)
        {
            return ("not signed in", false);
        }

        var reservation = await throttle.TryReserveAsync(user.Username, clientIp, ct).ConfigureAwait(false);
        if (!reservation.Granted)
        {
            return ("too many attempts; try again later", true);
        }

        if (hasher.Verify(currentPassword ?? "", user.PasswordHash) == PasswordVerification.Failed)
        {
            return ("current password is wrong", false); // the reservation already counted it
        }

        await throttle.GiveBackAsync(reservation, ct).ConfigureAwait(false);

        if (!PasswordPolicy.IsAcceptable(newPassword, out var why))
        {
            return (why, false);
        }

        if (newPassword == currentPassword)
        {
            return ("the new password must differ from the current one", false);
        }

        await store.UpdateUserAsync(user with { PasswordHash = hasher.Hash(newPassword), MustChangePassword = false }, time.GetUtcNow(), ct).ConfigureAwait(false);
        var keep = principal.GetSessionId() is { } sid ? Secrets.Sha256Hex(sid) : null;
        await store.DeleteSignInSessionsForUserAsync(user.Id, keep, ct).ConfigureAwait(false);
        await audit.WriteAsync(new AuditEvent { Kind = AuditKinds.PasswordChange, Actor = user.Username, Target = user.Username, ClientIp = clientIp }, ct).ConfigureAwait(false);
        return (null, false);
    }

    /// <summary>A short, non-secret reference to a sign-in session for the audit log (never the id itself).</summary>
    public static string SessionRef(string sessionId) => "s_" + Secrets.Sha256Hex(sessionId)[..16];

    private DateTimeOffset Expiry(DateTimeOffset created, DateTimeOffset now)
    {
        var idle = now + options.SessionIdleTimeout;
        var max = created + options.SessionMaxLifetime;
        return idle < max ? idle : max;
    }

    private static string? Truncate(string? s, int max) => s is null || s.Length <= max ? s : s[..max];
}
