namespace Oriel.Gateway.Audit;

/// <summary>The audit event kinds the gateway writes. Names are stable: tools filter on them.</summary>
public static class AuditKinds
{
    public const string SignInSuccess = "auth.signin.success";
    public const string SignInFailure = "auth.signin.failure";
    public const string SignInThrottled = "auth.signin.throttled";
    public const string SignOut = "auth.signout";
    public const string PasswordChange = "auth.password.change";
    public const string SessionStart = "session.start";
    public const string SessionEnd = "session.end";
    public const string SessionDenied = "session.denied";
    public const string UserAdd = "admin.user.add";
    public const string UserUpdate = "admin.user.update";
    public const string UserRemove = "admin.user.remove";
    public const string UserPassword = "admin.user.passwd";
    public const string UserGrant = "admin.user.grant";
    public const string RoleAdd = "admin.role.add";
    public const string RoleRemove = "admin.role.remove";
    public const string TargetAdd = "admin.target.add";
    public const string TargetUpdate = "admin.target.update";
    public const string TargetRemove = "admin.target.remove";
    public const string ConfigApply = "admin.config.apply";
    public const string FirstRunAdmin = "admin.firstrun";

    /// <summary>
    /// A session's recording could not be opened or written (Recordings/RecordingService). Actor: the session's user;
    /// target: the target id; details: problem, mode (best-effort: the session went on unrecorded from then; required:
    /// the session was refused or ended), kind.
    /// </summary>
    public const string RecordingFailed = "recording.failed";

    /// <summary>
    /// A state-changing <c>/api</c> request refused by the CSRF defence (<see cref="Identity.CsrfProtection"/>): a
    /// foreign Origin, a missing or wrong <c>X-Oriel-Csrf</c> header, a body that is not JSON. Actor: the signed-in
    /// user or key's user, if any; details: method, path (at most 200 characters), reason. Unauthenticated ones go
    /// through <see cref="RefusalAuditor"/> (reasons <c>origin</c>, <c>csrf-token</c>, <c>content-type</c>).
    /// </summary>
    public const string RequestRefused = "request.refused";

    /// <summary>
    /// How many refusals of one unauthenticated source were counted, not written one by one, in a window
    /// (<see cref="RefusalAuditor"/>). ClientIp: the source's address (none for untracked sources); details: kind,
    /// reason, count, since, until (or sources = "untracked" instead of reason).
    /// </summary>
    public const string RefusalSummary = "audit.refusals";
}
