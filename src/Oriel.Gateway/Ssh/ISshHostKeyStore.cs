namespace Oriel.Gateway.Ssh;

/// <summary>
/// Records a target's host key on first use (trust on first use, <see cref="Storage.SshTargetSettings.TrustOnFirstUse"/>).
/// The SSH session calls it after a connection to a target with no pin succeeded; the store audits
/// <c>ssh.hostkey.pinned</c>. Returns false (and pins nothing) when the target gained a different pin meanwhile, in
/// which case the session ends as for a changed key.
/// </summary>
public interface ISshHostKeyStore
{
    Task<bool> PinAsync(string targetId, SshHostKey key, string actor, CancellationToken ct);
}
