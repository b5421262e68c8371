using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Access;
using Oriel.Gateway.ApiKeys;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Security;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;

namespace Oriel.Gateway.Links;

/// <summary>
/// Web Desktop links: a signed, single-use, short-lived token bound to one user and one target. Opening it signs
/// that user in (a sign-in session of <see cref="DesktopLinkOptions.SessionLifetime"/> scoped to that one target, see
/// <see cref="SessionScope"/>) and sends the browser to the desktop. Every creation, use and refusal is audited; the token itself never is.
/// </summary>
public sealed class LinkService(
    IOrielStore store,
    LinkTokenCodec codec,
    IAccessService access,
    IAuditLog audit,
    RefusalAuditor refusals,
    DesktopLinkOptions options,
    TimeProvider time,
    ILogger<LinkService> log)
{
    /// <summary>The refusal sentence (and audit reason) of a link an API key asked for its own account.</summary>
    public const string OwnAccountReason =
        "an API key cannot make a link for its own account: keys never open desktop sessions; make links for the people who will use them";

    /// <summary>
    /// Makes a link for <paramref name="userName"/> to <paramref name="targetId"/>. Throws
    /// <see cref="KeyNotFoundException"/> when there is no such user, <see cref="ArgumentException"/> when the user may
    /// not open the target, the viewer does not fit it, or the lifetime is outside 10 s..10 min.
    /// </summary>
    public Task<CreatedLink> CreateAsync(
        string userName, string targetId, LinkViewer viewer, TimeSpan? lifetime, string actor, string? clientIp, CancellationToken ct) =>
        CreateAsync(userName, targetId, viewer, lifetime, actor, clientIp, caller: null, ct);

    /// <inheritdoc cref="CreateAsync(string, string, LinkViewer, TimeSpan?, string, string?, CancellationToken)"/>
    /// <param name="caller">
    /// Who asked over HTTP, or null (the command line). When the caller was authenticated by an API key, the key id is
    /// recorded in the audit event, and a link for the key's own account is refused with
    /// <see cref="UnauthorizedAccessException"/> (audited as <see cref="LinkAuditKinds.CreateDenied"/>): a key never
    /// opens a session, and a link for its own user would be a session for the key (docs/api-keys.md). The accounts are
    /// compared by user id after the name is resolved, so no spelling of the name gets round it.
    /// </param>
    public async Task<CreatedLink> CreateAsync(
        string userName, string targetId, LinkViewer viewer, TimeSpan? lifetime, string actor, string? clientIp, ClaimsPrincipal? caller, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(userName);
        ArgumentException.ThrowIfNullOrEmpty(targetId);
        ArgumentException.ThrowIfNullOrEmpty(actor);
        var apiKeyId = caller?.GetApiKeyId();
        var ttl = lifetime ?? options.DefaultLifetime;
        if (ttl < DesktopLinkOptions.MinLifetime || ttl > DesktopLinkOptions.MaxLifetime)
        {
            throw new ArgumentException(
                $"a link's lifetime must be {DesktopLinkOptions.MinLifetime.TotalSeconds:0} to {DesktopLinkOptions.MaxLifetime.TotalSeconds:0} seconds");
        }

        var user = await store.FindUserByNameAsync(userName.Trim(), ct).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"no user named '{userName}'");
        if (apiKeyId is not null && caller!.GetUserId() == user.Id)
        {
            LinkLog.OwnAccountRefused(log, apiKeyId, user.Username, clientIp);
            await AuditCreateDeniedAsync(user.Username, user.Username, targetId, OwnAccountReason, apiKeyId, clientIp, ct).ConfigureAwait(false);
            throw new UnauthorizedAccessException(OwnAccountReason);
        }

        var decision = await access.AuthorizeSessionAsync(OrielClaims.Create(user, ""), targetId, ct).ConfigureAwait(false);
        if (!decision.Allowed || decision.Target is null)
        {
            throw new ArgumentException($"user '{user.Username}' may not open target '{targetId}': {decision.Reason}");
        }

        if (viewer == LinkViewer.NoVnc && !string.Equals(decision.Target.Protocol, "vnc", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"the noVNC viewer opens VNC targets only; '{targetId}' is {decision.Target.Protocol}");
        }

        var now = WholeSeconds(time.GetUtcNow());
        var payload = new LinkTokenPayload
        {
            LinkId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(LinkTokenPayload.LinkIdLength)),
            IssuedAt = now,
            ExpiresAt = now + WholeSeconds(ttl),
            Viewer = viewer,
            UserId = user.Id,
            TargetId = decision.Target.Id,
            Issuer = Truncate(actor, LinkTokenPayload.MaxStringLength),
        };
        var token = codec.Sign(payload);
        await store.PurgeLinksAsync(now - options.RetainAfterExpiry, ct).ConfigureAwait(false);
        await store.CreateLinkAsync(
            new LinkRecord(payload.LinkId, user.Id, payload.TargetId, viewer, payload.Issuer, now, payload.ExpiresAt, null, null), ct).ConfigureAwait(false);
        LinkLog.Created(log, payload.LinkId, actor, user.Username, payload.TargetId, payload.ExpiresAt);
        await audit.WriteAsync(
            new AuditEvent
            {
                Kind = LinkAuditKinds.Create,
                Actor = actor,
                Target = payload.TargetId,
                ClientIp = clientIp,
                Details = new JsonObject
                {
                    ["user"] = user.Username,
                    ["linkId"] = payload.LinkId,
                    ["viewer"] = LinkViewers.Name(viewer),
                    ["expiresAt"] = payload.ExpiresAt.ToString("O", CultureInfo.InvariantCulture),
                    ["apiKey"] = apiKeyId,
                },
            },
            ct).ConfigureAwait(false);
        return new CreatedLink(payload.LinkId, token, user.Username, payload.TargetId, viewer, payload.ExpiresAt);
    }

    /// <summary>
    /// Whether <paramref name="caller"/>, who is not an administrator, may make a link for <paramref name="userName"/>
    /// to <paramref name="targetId"/>: one of the caller's roles must have <see cref="RoleRecord.CreateLinks"/> and grant
    /// that target (so a portal account makes links only for the targets it manages), and the link's user must not be
    /// an administrator (a link signs its user in: it must not become a way up). Whether that user may open the target
    /// is checked by <see cref="CreateAsync(string, string, LinkViewer, TimeSpan?, string, string?, ClaimsPrincipal?, CancellationToken)"/>.
    /// With <paramref name="targetId"/> null, only whether the caller may make links at all. Returns null when
    /// allowed, else a sentence; a refusal is audited (<see cref="LinkAuditKinds.CreateDenied"/>).
    /// </summary>
    public async Task<string?> WhyMayNotCreateAsync(ClaimsPrincipal caller, string? userName, string? targetId, string? clientIp, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var me = caller.GetUserId() is { } id ? await store.FindUserByIdAsync(id, ct).ConfigureAwait(false) : null;
        if (me is null)
        {
            return "not signed in";
        }

        if (me.IsAdmin)
        {
            return null;
        }

        var delegating = (await store.ListRolesAsync(ct).ConfigureAwait(false))
            .Where(r => r.CreateLinks && me.Roles.Contains(r.Name, StringComparer.OrdinalIgnoreCase))
            .ToList();
        string? why = null;
        if (delegating.Count == 0)
        {
            why = "making links needs the administrator role or a role with createLinks";
        }
        else if (targetId is not null)
        {
            var target = TargetRules.IsValidId(targetId) ? await store.FindTargetAsync(targetId, ct).ConfigureAwait(false) : null;
            if (target is null || !delegating.Any(r => RoleMatcher.Grants(r, target)))
            {
                why = $"target '{targetId}' not found, or not granted by a role with createLinks that this account holds";
            }
            else if (userName is not null && await store.FindUserByNameAsync(userName.Trim(), ct).ConfigureAwait(false) is { IsAdmin: true })
            {
                why = "links for administrators are made by administrators only";
            }
        }

        if (why is not null)
        {
            await AuditCreateDeniedAsync(me.Username, userName, targetId, why, caller.GetApiKeyId(), clientIp, ct).ConfigureAwait(false);
        }

        return why;
    }

    /// <summary>
    /// Audits a refused link creation (<see cref="LinkAuditKinds.CreateDenied"/>): who asked (<paramref name="actor"/>),
    /// for which user and target, why, and through which API key if any. One place, so both refusals read alike.
    /// </summary>
    private Task AuditCreateDeniedAsync(string actor, string? userName, string? targetId, string reason, string? apiKeyId, string? clientIp, CancellationToken ct) =>
        audit.WriteAsync(
            new AuditEvent
            {
                Kind = LinkAuditKinds.CreateDenied,
                Actor = actor,
                Target = targetId,
                ClientIp = clientIp,
                Details = new JsonObject { ["user"] = userName, ["reason"] = reason, ["apiKey"] = apiKeyId },
            },
            ct);

    /// <summary>Checks form and signature only (no database, no audit): whether the token is worth a round trip.</summary>
    public bool LooksGenuine(string? token) => codec.Verify(token, out _) is null;

    /// <summary>
    /// Opens a link. <paramref name="signedIn"/> is the principal this browser is already signed in as, if any: another
    /// user is refused (the link is not consumed, so it works after signing out). The same user keeps an ordinary
    /// session (a link never downgrades a password sign-in) or a session already scoped to this link's target. On
    /// success the link is marked used (atomically: of two concurrent opens, one wins) and otherwise a new sign-in
    /// session scoped to the link's target is created (<see cref="SessionScope"/>). Audits either way.
    /// </summary>
    public async Task<LinkRedemption> RedeemAsync(string? token, ClaimsPrincipal? signedIn, string? clientIp, string? userAgent, CancellationToken ct)
    {
        var signedInUserId = signedIn?.Identity?.IsAuthenticated == true ? signedIn.GetUserId() : null;
        var refusal = codec.Verify(token, out var payload);
        if (refusal is not null || payload is null)
        {
            return await RefuseAsync(signedInUserId is not null, refusal ?? LinkRefusal.Malformed, null, null, clientIp, null, ct).ConfigureAwait(false);
        }

        var now = time.GetUtcNow();
        if (now >= payload.ExpiresAt)
        {
            return await RefuseAsync(signedInUserId is not null, LinkRefusal.Expired, payload, null, clientIp, null, ct).ConfigureAwait(false);
        }

        var row = await store.FindLinkAsync(payload.LinkId, ct).ConfigureAwait(false);
        if (row is null || row.UserId != payload.UserId || row.TargetId != payload.TargetId || row.Viewer != payload.Viewer
            || row.ExpiresAt != payload.ExpiresAt)
        {
            return await RefuseAsync(signedInUserId is not null, LinkRefusal.Unknown, payload, null, clientIp, null, ct).ConfigureAwait(false);
        }

        if (row.UsedAt is not null)
        {
            return await RefuseAsync(signedInUserId is not null, LinkRefusal.Used, payload, null, clientIp, null, ct).ConfigureAwait(false);
        }

        var user = await store.FindUserByIdAsync(payload.UserId, ct).ConfigureAwait(false);
        if (user is null)
        {
            return await RefuseAsync(signedInUserId is not null, LinkRefusal.UserGone, payload, null, clientIp, null, ct).ConfigureAwait(false);
        }

        if (signedInUserId is not null && signedInUserId != user.Id)
        {
            return await RefuseAsync(signedInUserId is not null, LinkRefusal.WrongUser, payload, user.Username, clientIp, null, ct).ConfigureAwait(false);
        }

        var decision = await access.AuthorizeSessionAsync(OrielClaims.Create(user, ""), payload.TargetId, ct).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            return await RefuseAsync(signedInUserId is not null, LinkRefusal.NotAllowed, payload, user.Username, clientIp, decision.Reason, ct).ConfigureAwait(false);
        }

        if (!await store.TryUseLinkAsync(payload.LinkId, now, clientIp, ct).ConfigureAwait(false))
        {
            return await RefuseAsync(signedInUserId is not null, LinkRefusal.Used, payload, user.Username, clientIp, null, ct).ConfigureAwait(false);
        }

        // Keep the browser's session when it already reaches this target: an ordinary sign-in of this user, or a
        // session scoped to this very target. A session scoped to another target is not widened: this browser gets a
        // new session for this target instead; the old one is left to expire, so a desktop it has open keeps running.
        string? sessionId = null;
        DateTimeOffset? sessionExpires = null;
        if (signedInUserId is null || !SessionScope.Permits(signedIn!, payload.TargetId))
        {
            sessionId = Secrets.NewToken();
            sessionExpires = now + options.SessionLifetime;
            await store.CreateSignInSessionAsync(
                new SignInSessionRecord(
                    Secrets.Sha256Hex(sessionId), user.Id, now, now, sessionExpires.Value, clientIp, Clip(userAgent, 256), ScopeTargetId: payload.TargetId),
                ct).ConfigureAwait(false);
        }

        LinkLog.Used(log, payload.LinkId, user.Username, clientIp);
        await audit.WriteAsync(
            new AuditEvent
            {
                Kind = LinkAuditKinds.Use,
                Actor = user.Username,
                Target = payload.TargetId,
                ClientIp = clientIp,
                SessionId = sessionId is null ? null : SignInService.SessionRef(sessionId),
                Details = new JsonObject
                {
                    ["linkId"] = payload.LinkId,
                    ["viewer"] = LinkViewers.Name(payload.Viewer),
                    ["issuer"] = payload.Issuer,
                    ["newSession"] = sessionId is not null,
                },
            },
            ct).ConfigureAwait(false);
        return new LinkRedemption
        {
            User = user,
            TargetId = payload.TargetId,
            LinkId = payload.LinkId,
            ViewerPath = LinkViewers.PathFor(payload.Viewer, payload.TargetId),
            SessionId = sessionId,
            SessionExpiresAt = sessionExpires,
        };
    }

    /// <summary>
    /// Audits a refusal: every time when the browser is signed in; otherwise through the <see cref="RefusalAuditor"/>
    /// (anyone can send <c>/link/…</c> requests), per address and reason, and per link for a token whose signature
    /// held (only the gateway makes those) — the first written in full and logged, repeats counted in a summary.
    /// </summary>
    private async Task<LinkRedemption> RefuseAsync(
        bool signedIn, LinkRefusal refusal, LinkTokenPayload? payload, string? userName, string? clientIp, string? detail, CancellationToken ct)
    {
        var code = LinkRefusals.Code(refusal);
        var details = new JsonObject { ["reason"] = code };
        if (payload is not null)
        {
            details["linkId"] = payload.LinkId;
        }

        if (detail is not null)
        {
            details["detail"] = detail;
        }

        var e = new AuditEvent { Kind = LinkAuditKinds.Refused, Actor = userName, Target = payload?.TargetId, ClientIp = clientIp, Details = details };
        if (signedIn)
        {
            LinkLog.Refused(log, clientIp, code);
            await audit.WriteAsync(e, ct).ConfigureAwait(false);
        }
        else if (await refusals.RefuseAsync(e, payload is null ? code : $"{code}:{payload.LinkId}", ct).ConfigureAwait(false))
        {
            LinkLog.Refused(log, clientIp, code);
        }

        return LinkRedemption.Refused(refusal);
    }

    private static DateTimeOffset WholeSeconds(DateTimeOffset t) => DateTimeOffset.FromUnixTimeSeconds(t.ToUnixTimeSeconds());

    private static TimeSpan WholeSeconds(TimeSpan t) => TimeSpan.FromSeconds(Math.Ceiling(t.TotalSeconds));

    private static string Truncate(string s, int maxBytes)
    {
        while (System.Text.Encoding.UTF8.GetByteCount(s) > maxBytes)
        {
            s = s[..^1];
        }

        return s;
    }

    private static string? Clip(string? s, int max) => s is null || s.Length <= max ? s : s[..max];
}
