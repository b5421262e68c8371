using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// Owns the live sessions of this gateway: admission (per-user limits), lookup, termination,
/// and the session.start / session.end audit events.
/// </summary>
public sealed class SessionBroker
{
    private readonly ConcurrentDictionary<string, LiveSession> _sessions = new();
    private readonly TimeProvider _time;

    public SessionBroker(TimeProvider time)
    {
        _time = time;
    }

    public IReadOnlyCollection<LiveSession> Sessions => _sessions.Values.ToArray();

    public int CountForUser(string userId) => _sessions.Values.Count(s => s.UserId == userId);

    /// <summary>Registers a session unless the user is at <paramref name="maxSessions"/> (0 = unlimited).</summary>
    public LiveSession? TryAdmit(string userId, string userName, string targetId, string protocol, string kind, string? clientIp, int maxSessions)
    {
        lock (_sessions)
        {
            if (maxSessions > 0 && CountForUser(userId) >= maxSessions)
            {
                return null;
            }
            var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
            var session = new LiveSession(id, userId, userName, targetId, protocol, kind, clientIp, _time.GetUtcNow());
            _sessions[id] = session;
            return session;
        }
    }

    public void Remove(LiveSession session) => _sessions.TryRemove(session.Id, out _);

    public bool Terminate(string sessionId, string reason)
    {
        if (_sessions.TryGetValue(sessionId, out var s))
        {
            s.Terminate(reason);
            return true;
        }
        return false;
    }

    /// <summary>Ends every live session (the gateway is stopping) and waits up to <paramref name="grace"/> for them to close.</summary>
    public async Task<int> TerminateAllAsync(string reason, TimeSpan grace, CancellationToken ct = default)
    {
        var sessions = _sessions.Values.ToArray();
        foreach (var s in sessions)
        {
            s.Terminate(reason);
        }
        var deadline = _time.GetUtcNow() + grace;
        while (!_sessions.IsEmpty && _time.GetUtcNow() < deadline && !ct.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), _time, CancellationToken.None).ConfigureAwait(false);
        }
        return sessions.Length;
    }

    /// <summary>Ends every session of a user (sign-out everywhere, user removed, role revoked).</summary>
    public int TerminateUser(string userId, string reason)
    {
        var n = 0;
        foreach (var s in _sessions.Values.Where(s => s.UserId == userId))
        {
            s.Terminate(reason);
            n++;
        }
        return n;
    }
}
