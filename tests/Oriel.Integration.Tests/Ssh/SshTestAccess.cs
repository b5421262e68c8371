using System.Security.Claims;
using Oriel.Gateway.Access;
using Oriel.Gateway.Identity;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;

namespace Oriel.Integration.Tests.Ssh;

/// <summary>
/// The access decision for the tests' SSH target, made from <see cref="SshSessionTarget"/> (storing SSH targets, their
/// vault secrets and the new role fields is another branch's work): a signed-in user reaches the target
/// <see cref="TargetId"/> with its current address, credentials, pins (<see cref="MemoryHostKeyStore"/>) and
/// permissions. Everything else is the gateway's own <see cref="AccessService"/>.
/// </summary>
internal sealed class SshTestAccess(AccessService inner, MemoryHostKeyStore pins) : IAccessService
{
    public const string TargetId = "shell";

    /// <summary>The target as the next session sees it; tests change it (a restarted sshd, other credentials).</summary>
    public SshSessionTarget? Target { get; set; }

    public Task<AccessDecision> AuthorizeSessionAsync(ClaimsPrincipal user, string targetId, CancellationToken ct)
    {
        if (targetId != TargetId || Target is not { } t || user.GetUserId() is not { } userId)
        {
            return inner.AuthorizeSessionAsync(user, targetId, ct);
        }
        var target = new ResolvedTarget
        {
            Id = TargetId,
            Name = "Shell",
            Host = t.Host,
            Port = t.Port,
            Username = t.Username,
            Password = t.Password,
            PrivateKey = t.PrivateKey,
            PrivateKeyPassphrase = t.PrivateKeyPassphrase,
            Settings = new SshTargetSettings(pins.PinsOf(TargetId), t.TrustOnFirstUse) { TerminalType = t.TerminalType },
        };
        var permissions = new SessionPermissions(false, false, false, null)
        {
            Recording = t.Recording,
            RecordInput = t.RecordInput,
            BrowserAuthPrompts = t.BrowserAuthPrompts,
            FileDownload = t.FileDownload,
            FileUpload = t.FileUpload,
        };
        return Task.FromResult(new AccessDecision
        {
            Allowed = true,
            Target = target,
            Permissions = permissions,
            UserId = userId,
            UserName = user.Identity?.Name ?? "",
        });
    }

    public Task<RecordingsAccess> GetRecordingsAccessAsync(ClaimsPrincipal user, CancellationToken ct) => inner.GetRecordingsAccessAsync(user, ct);

    public Task<bool> MayWatchLiveAsync(ClaimsPrincipal user, CancellationToken ct) => inner.MayWatchLiveAsync(user, ct);
}
