using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Ssh;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Targets;

/// <summary>
/// Trust on first use: records the host key an SSH target first presented as its pin. The pin is written only while
/// the target has none and still trusts on first use, by a compare-and-swap of its settings
/// (<see cref="IOrielStore.ReplaceTargetSettingsAsync"/>), so two sessions racing to pin different keys cannot both win,
/// and neither can a session racing an administrator. Each pin is audited <c>ssh.hostkey.pinned</c> with the algorithm
/// and fingerprint, by the user whose session saw the key.
/// </summary>
public sealed partial class SshHostKeyStore(IOrielStore store, IAuditLog audit, TimeProvider time, ILogger<SshHostKeyStore> log) : ISshHostKeyStore
{
    private const int Attempts = 4;

    /// <summary>
    /// True when <paramref name="key"/> is now the target's pin (pinned by this call, or already pinned, by a session that
    /// raced this one); false when the target has another pin, no longer trusts on first use, is gone or is not SSH.
    /// </summary>
    public async Task<bool> PinAsync(string targetId, SshHostKey key, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!SshTargetSettings.IsFingerprint(key.FingerprintSha256))
        {
            throw new ArgumentException($"'{key.FingerprintSha256}' is not a SHA-256 fingerprint (SHA256:<43 base64 characters>)", nameof(key));
        }

        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var target = await store.FindTargetAsync(targetId, ct).ConfigureAwait(false);
            if (target?.Settings is not SshTargetSettings ssh)
            {
                Log.NotPinned(log, targetId, key.FingerprintSha256, "the target is gone or not an SSH target");
                return false;
            }

            if (ssh.HostKeyPins.Contains(key.FingerprintSha256, StringComparer.Ordinal))
            {
                return true;
            }

            if (ssh.HostKeyPins.Count > 0 || !ssh.TrustOnFirstUse)
            {
                Log.NotPinned(log, targetId, key.FingerprintSha256, ssh.HostKeyPins.Count > 0 ? "the target has another pin" : "the target no longer trusts on first use");
                return false;
            }

            if (await store.ReplaceTargetSettingsAsync(targetId, ssh, ssh with { HostKeyPins = [key.FingerprintSha256] }, time.GetUtcNow(), ct).ConfigureAwait(false))
            {
                await audit.WriteAsync(
                    new AuditEvent
                    {
                        Kind = SshAuditKinds.HostKeyPinned,
                        Actor = actor,
                        Target = targetId,
                        Details = new JsonObject
                        {
                            ["algorithm"] = key.Algorithm,
                            ["fingerprint"] = key.FingerprintSha256,
                            ["bits"] = key.Bits,
                        },
                    },
                    ct).ConfigureAwait(false);
                Log.Pinned(log, targetId, key.Algorithm, key.FingerprintSha256, actor);
                return true;
            }

            // The settings changed between the read and the write: read them again and decide on what is there now.
        }

        Log.NotPinned(log, targetId, key.FingerprintSha256, "the target's settings kept changing");
        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3470, Level = LogLevel.Information, Message = "Target {TargetId}: host key {Algorithm} {Fingerprint} pinned on first use (session of {Actor})")]
        public static partial void Pinned(ILogger logger, string targetId, string algorithm, string fingerprint, string actor);

        [LoggerMessage(EventId = 3471, Level = LogLevel.Warning, Message = "Target {TargetId}: host key {Fingerprint} not pinned: {Reason}")]
        public static partial void NotPinned(ILogger logger, string targetId, string fingerprint, string reason);
    }
}
