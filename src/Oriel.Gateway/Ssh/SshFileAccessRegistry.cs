using System.Collections.Concurrent;

namespace Oriel.Gateway.Ssh;

/// <summary>The live SSH sessions' file access, in memory (<see cref="ISshFileAccessRegistry"/>); a singleton.</summary>
public sealed class SshFileAccessRegistry : ISshFileAccessRegistry
{
    private readonly ConcurrentDictionary<string, SshFileAccess> _sessions = new(StringComparer.Ordinal);

    public void Register(SshFileAccess access)
    {
        ArgumentNullException.ThrowIfNull(access);
        _sessions[access.SessionId] = access;
    }

    public event Action<string>? Unregistered;

    public void Unregister(string sessionId)
    {
        if (_sessions.TryRemove(sessionId, out _))
        {
            Unregistered?.Invoke(sessionId);
        }
    }

    public SshFileAccess? Find(string sessionId) => _sessions.TryGetValue(sessionId, out var access) ? access : null;
}
