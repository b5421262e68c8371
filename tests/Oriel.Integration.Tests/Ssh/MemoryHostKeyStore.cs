using Oriel.Gateway.Ssh;

namespace Oriel.Integration.Tests.Ssh;

/// <summary>
/// The host key pins of the tests' SSH target, in memory (the gateway's own store is another branch's): first-use pins
/// are recorded here and read back by <see cref="SshTestAccess"/> as the target's <c>HostKeyPins</c>.
/// </summary>
internal sealed class MemoryHostKeyStore : ISshHostKeyStore
{
    private readonly Dictionary<string, List<string>> _pins = new(StringComparer.Ordinal);

    /// <summary>Who pinned what, in order.</summary>
    public List<(string TargetId, SshHostKey Key, string Actor)> Pinned { get; } = [];

    public IReadOnlyList<string> PinsOf(string targetId)
    {
        lock (_pins)
        {
            return _pins.TryGetValue(targetId, out var pins) ? [.. pins] : [];
        }
    }

    /// <summary>Forgets a target's pins (an administrator removing them).</summary>
    public void Forget(string targetId)
    {
        lock (_pins)
        {
            _pins.Remove(targetId);
        }
    }

    public Task<bool> PinAsync(string targetId, SshHostKey key, string actor, CancellationToken ct)
    {
        lock (_pins)
        {
            if (_pins.TryGetValue(targetId, out var pins) && pins.Count > 0)
            {
                return Task.FromResult(pins.Contains(key.FingerprintSha256, StringComparer.Ordinal));
            }
            _pins[targetId] = [key.FingerprintSha256];
            Pinned.Add((targetId, key, actor));
            return Task.FromResult(true);
        }
    }
}
