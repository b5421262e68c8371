using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Ssh;

/// <summary>
/// The file panels of the live SSH sessions (a singleton): one <see cref="SshFilePanelSession"/> per session that used
/// its panel, holding one SFTP connection opened on first use through <see cref="ISshConnector.ConnectSftpAsync"/> with
/// the terminal's own connection details (<see cref="SshFileAccess.Request"/>) and reused by every later request. When
/// the SSH session ends it leaves the <see cref="ISshFileAccessRegistry"/>, whose <see cref="ISshFileAccessRegistry.Unregistered"/>
/// event closes the connection here; uploads it cut short are audited as unfinished.
/// </summary>
public sealed class SshFilePanel : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SshFilePanelSession> _sessions = new(StringComparer.Ordinal);
    private readonly List<Task> _closing = [];
    private readonly ISshFileAccessRegistry _registry;
    private readonly IServiceProvider _services;
    private readonly IAuditLog _audit;
    private readonly ILogger<SshFilePanel> _log;

    public SshFilePanel(ISshFileAccessRegistry registry, IServiceProvider services, IAuditLog audit, ILogger<SshFilePanel> log)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _registry = registry;
        _services = services;
        _audit = audit;
        _log = log;
        _registry.Unregistered += OnUnregistered;
    }

    /// <summary>The sentence of a gateway with no SSH client registered.</summary>
    public const string NoClientSentence = "This gateway has no SSH client, so file transfer is not available.";

    /// <summary>How many sessions hold a file panel now (for tests and diagnostics).</summary>
    public int OpenCount
    {
        get
        {
            lock (_lock)
            {
                return _sessions.Count;
            }
        }
    }

    /// <summary>
    /// The panel of the registered session <paramref name="access"/>, created on first use; null when the session has
    /// just ended (it left the registry).
    /// </summary>
    internal SshFilePanelSession? Get(SshFileAccess access, string userName)
    {
        ArgumentNullException.ThrowIfNull(access);
        SshFilePanelSession? stale = null;
        SshFilePanelSession session;
        lock (_lock)
        {
            if (_sessions.TryGetValue(access.SessionId, out var existing) && ReferenceEquals(existing.Access, access))
            {
                session = existing;
            }
            else
            {
                stale = existing; // the id was registered again, with other details
                session = new SshFilePanelSession(access, userName, ConnectAsync, _log);
                _sessions[access.SessionId] = session;
            }
        }

        if (stale is not null)
        {
            Close(stale);
        }

        // The session may have left the registry between the caller's lookup and the insertion above, after its
        // Unregistered event found nothing to close: look again, now that the panel is in the map.
        if (!ReferenceEquals(_registry.Find(access.SessionId), access))
        {
            Remove(access.SessionId, session);
            return null;
        }

        return session;
    }

    private Task<ISftpSession> ConnectAsync(SshConnectRequest request, CancellationToken ct)
    {
        var connector = _services.GetService<ISshConnector>() ?? throw new SshFailure(SshFailureKind.Unreachable, NoClientSentence);
        return connector.ConnectSftpAsync(request, ct);
    }

    private void OnUnregistered(string sessionId)
    {
        SshFilePanelSession? session;
        lock (_lock)
        {
            _sessions.Remove(sessionId, out session);
        }

        if (session is not null)
        {
            Close(session);
        }
    }

    private void Remove(string sessionId, SshFilePanelSession session)
    {
        lock (_lock)
        {
            if (_sessions.TryGetValue(sessionId, out var current) && ReferenceEquals(current, session))
            {
                _sessions.Remove(sessionId);
            }
        }

        Close(session);
    }

    /// <summary>Closes a panel in the background (the SSH session ending must not wait for SFTP to say goodbye).</summary>
    private void Close(SshFilePanelSession session)
    {
        var task = CloseAsync(session);
        lock (_lock)
        {
            _closing.RemoveAll(t => t.IsCompleted);
            _closing.Add(task);
        }
    }

    private async Task CloseAsync(SshFilePanelSession session)
    {
        await Task.Yield();
        IReadOnlyList<SshFileUpload> unfinished;
        try
        {
            unfinished = await session.CloseAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            SshFileLog.CloseFailed(_log, session.Access.TargetId, e);
            return;
        }

        SshFileLog.Closed(_log, session.Access.TargetId, session.UserName, unfinished.Count);
        foreach (var upload in unfinished)
        {
            try
            {
                await _audit.WriteAsync(new AuditEvent
                {
                    Kind = SshAuditKinds.FileOperation,
                    Actor = upload.Actor,
                    Target = session.Access.TargetId,
                    SessionId = session.Access.SessionId,
                    ClientIp = upload.ClientIp,
                    Details = new JsonObject
                    {
                        ["op"] = "upload",
                        ["path"] = SshFilePaths.ForAudit(upload.Path),
                        ["size"] = upload.Written,
                        ["ok"] = false,
                        ["error"] = "The terminal session ended before the upload finished.",
                    },
                }, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                SshFileLog.AuditFailed(_log, session.Access.TargetId, e);
            }
        }
    }

    /// <summary>Closes every panel (the gateway stops).</summary>
    public async ValueTask DisposeAsync()
    {
        _registry.Unregistered -= OnUnregistered;
        List<SshFilePanelSession> open;
        lock (_lock)
        {
            open = [.. _sessions.Values];
            _sessions.Clear();
        }

        foreach (var session in open)
        {
            Close(session);
        }

        Task[] pending;
        lock (_lock)
        {
            pending = [.. _closing];
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
    }
}
