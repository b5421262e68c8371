using System.Text.Json.Nodes;
using Oriel.Gateway.Sessions;
using Oriel.Gateway.Storage;
using Oriel.Tdp;

namespace Oriel.Gateway.Ssh;

public sealed partial class SshSession
{
    private SshHostKey? _presentedKey;
    private HostKeyDecision _hostKeyDecision;
    private string? _typedPassword;
    private bool _promptCancelled;

    /// <summary>
    /// The first terminal size, the connection (host key decision, authentication, a first-use pin), the pseudo-terminal
    /// and shell, and the file panel's registration. Throws <see cref="SessionFailure"/> with the reason.
    /// </summary>
    private async Task ConnectAsync(CancellationToken ct)
    {
        var size = await FirstSizeAsync(ct).ConfigureAwait(false);
        if (string.IsNullOrEmpty(_target.Username))
        {
            throw new SessionFailure(SessionEndReason.AuthenticationFailed, "This SSH target has no login configured; an administrator must set its username.");
        }
        var credentials = new SshCredentials(_target.Password, _target.PrivateKey, _target.PrivateKeyPassphrase);
        var request = new SshConnectRequest(_target.Host, _target.Port, _target.Username, credentials, AcceptHostKey)
        {
            Prompter = _permissions.BrowserAuthPrompts ? this : null,
            ConnectTimeout = _timeouts.TargetHandshake,
            Time = _time,
        };
        try
        {
            _connection = await _connector.ConnectAsync(request, ct).ConfigureAwait(false);
        }
        catch (SshFailure ex)
        {
            throw await ConnectFailureAsync(ex, request).ConfigureAwait(false);
        }
        var info = _connection.Info;
        if (_hostKeyDecision == HostKeyDecision.TrustOnFirstUse)
        {
            await PinFirstUseAsync(info.HostKey, ct).ConfigureAwait(false);
        }
        Log.Connected(_log, _live.Id, _target.Id, info.HostKey.ToString(), info.CipherServerToClient, info.AuthenticationMethod);

        try
        {
            lock (_sizeLock)
            {
                size = _size; // the browser may have resized meanwhile
            }
            _terminal = await _connection.OpenTerminalAsync(new SshPtyRequest(_settings.TerminalType, size.Columns, size.Rows, size.WidthPixels, size.HeightPixels), ct)
                .ConfigureAwait(false);
        }
        catch (SshFailure ex)
        {
            throw ShellFailure(ex);
        }
        TerminalResizeMessage latest;
        lock (_sizeLock)
        {
            latest = _size;
        }
        if (latest != size)
        {
            _terminal.Resize(latest.Columns, latest.Rows, latest.WidthPixels, latest.HeightPixels);
        }
        RouteInputToShell();

        var seen = info.HostKey;
        _files.Register(new SshFileAccess(_live.Id, _live.UserId, _target.Id,
            request with
            {
                Credentials = credentials with { Password = credentials.Password ?? _typedPassword },
                AcceptHostKey = key => string.Equals(key.FingerprintSha256, seen.FingerprintSha256, StringComparison.Ordinal),
                Prompter = null,
            },
            _permissions.FileDownload, _permissions.FileUpload));
        _registered = true;
    }

    /// <summary>Waits up to <see cref="FirstResizeWait"/> for the browser's first terminal resize (110); else 80x24.</summary>
    private async Task<TerminalResizeMessage> FirstSizeAsync(CancellationToken ct)
    {
        try
        {
            await _firstResize.Task.WaitAsync(FirstResizeWait, _time, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log.NoTerminalSize(_log, _live.Id, FirstResizeWait.TotalSeconds);
        }
        lock (_sizeLock)
        {
            return _size;
        }
    }

    /// <summary>
    /// The host key decision (CONTRACTS 5), made in memory on the SSH library's thread: a pinned key must be one of the
    /// pins; with none pinned, trust on first use trusts it (recorded after authentication), else it is refused.
    /// </summary>
    private bool AcceptHostKey(SshHostKey key)
    {
        _presentedKey = key;
        if (_settings.HostKeyPins.Count > 0)
        {
            var pinned = _settings.HostKeyPins.Contains(key.FingerprintSha256, StringComparer.Ordinal);
            _hostKeyDecision = pinned ? HostKeyDecision.Pinned : HostKeyDecision.Mismatch;
            return pinned;
        }
        _hostKeyDecision = _settings.TrustOnFirstUse ? HostKeyDecision.TrustOnFirstUse : HostKeyDecision.NotPinned;
        return _settings.TrustOnFirstUse;
    }

    /// <summary>Records the first key seen as the target's pin; a pin set meanwhile by someone else ends the session as a changed key.</summary>
    private async Task PinFirstUseAsync(SshHostKey key, CancellationToken ct)
    {
        if (_hostKeys is null)
        {
            Log.NoHostKeyStore(_log, _live.Id, _target.Id);
            throw new SessionFailure(SessionEndReason.InternalError,
                $"This target has no pinned host key and the gateway cannot record one (it has no host key store); an administrator must pin the server's key ({key.FingerprintSha256}).");
        }
        if (!await _hostKeys.PinAsync(_target.Id, key, _live.UserName, ct).ConfigureAwait(false))
        {
            Log.HostKeyMismatch(_log, _live.Id, _target.Id, key.FingerprintSha256, "(pinned meanwhile)");
            await AuditHostKeyMismatchAsync(key, []).ConfigureAwait(false);
            throw new SessionFailure(SessionEndReason.AuthenticationFailed,
                $"The server's host key has changed: it presented {key.FingerprintSha256}, and this target was pinned to another key meanwhile. An administrator must confirm the new key before anyone can connect.");
        }
        Log.HostKeyPinned(_log, _live.Id, _target.Id, key.ToString());
    }

    /// <summary>A failed connection as the session's end: its reason and sentence, audited where the contract says so.</summary>
    private async Task<SessionFailure> ConnectFailureAsync(SshFailure ex, SshConnectRequest request)
    {
        var login = request.Username;
        switch (ex.Kind)
        {
            case SshFailureKind.HostKeyRefused:
                var key = ex.PresentedHostKey ?? _presentedKey;
                var presented = key?.FingerprintSha256 ?? "an unknown key";
                if (_hostKeyDecision == HostKeyDecision.NotPinned)
                {
                    Log.HostKeyNotPinned(_log, _live.Id, _target.Id, presented);
                    return new SessionFailure(SessionEndReason.AuthenticationFailed,
                        $"This target has no pinned host key and does not trust a key on first use: the server presented {presented}{(key is null ? "" : $" ({key.Algorithm})")}. An administrator must pin it before anyone can connect.", ex);
                }
                var pins = string.Join(" or ", _settings.HostKeyPins);
                Log.HostKeyMismatch(_log, _live.Id, _target.Id, presented, pins);
                if (key is not null)
                {
                    await AuditHostKeyMismatchAsync(key, _settings.HostKeyPins).ConfigureAwait(false);
                }
                return new SessionFailure(SessionEndReason.AuthenticationFailed,
                    $"The server's host key has changed: it presented {presented}, and this target is pinned to {pins} . An administrator must confirm the new key before anyone can connect.", ex);

            case SshFailureKind.AuthenticationFailed:
                var methods = MethodsOffered(request);
                Log.AuthenticationFailed(_log, _live.Id, _target.Id, login, string.Join(",", methods), _promptCancelled);
                await AuditAuthFailedAsync(login, methods, ex.Message).ConfigureAwait(false);
                return new SessionFailure(SessionEndReason.AuthenticationFailed, _promptCancelled
                    ? $"The login {login} to the SSH server was cancelled at its prompt."
                    : $"The SSH server refused the login {login}: {ex.Message}", ex);

            case SshFailureKind.AlgorithmNegotiation or SshFailureKind.ProtocolError:
                Log.ConnectFailed(_log, _live.Id, _target.Id, ex.Kind.ToString(), ex.Message);
                return new SessionFailure(SessionEndReason.TargetProtocolError, ex.Message, ex);

            case SshFailureKind.Timeout:
                Log.ConnectFailed(_log, _live.Id, _target.Id, ex.Kind.ToString(), ex.Message);
                return new SessionFailure(SessionEndReason.TargetUnresponsive, ex.Message, ex);

            case SshFailureKind.ChannelRefused:
                return ShellFailure(ex);

            default: // Unreachable, ConnectionLost: the connection was never up
                Log.ConnectFailed(_log, _live.Id, _target.Id, ex.Kind.ToString(), ex.Message);
                return new SessionFailure(SessionEndReason.TargetUnreachable, ex.Message, ex);
        }
    }

    /// <summary>The pseudo-terminal or shell could not be opened on a connection that is up.</summary>
    private SessionFailure ShellFailure(SshFailure ex)
    {
        Log.ConnectFailed(_log, _live.Id, _target.Id, ex.Kind.ToString(), ex.Message);
        return ex.Kind switch
        {
            SshFailureKind.ConnectionLost => new SessionFailure(SessionEndReason.TargetClosed, ex.Message, ex),
            SshFailureKind.Timeout => new SessionFailure(SessionEndReason.TargetUnresponsive, ex.Message, ex),
            _ => new SessionFailure(SessionEndReason.TargetProtocolError, ex.Message, ex),
        };
    }

    /// <summary>The authentication methods Oriel tries with what this login has: the vault's key and password, and the user's answers.</summary>
    private static List<string> MethodsOffered(SshConnectRequest request)
    {
        var methods = new List<string>();
        if (request.Credentials.PrivateKey is not null)
        {
            methods.Add("publickey");
        }
        if (request.Credentials.Password is not null)
        {
            methods.Add("password");
        }
        if (request.Credentials.Password is not null || request.Prompter is not null)
        {
            methods.Add("keyboard-interactive");
        }
        return methods;
    }

    private Task AuditHostKeyMismatchAsync(SshHostKey presented, IReadOnlyList<string> pinned) =>
        _audit.WriteAsync(new AuditEvent
        {
            Kind = SshAuditKinds.HostKeyMismatch,
            Actor = _live.UserName,
            Target = _target.Id,
            ClientIp = _live.ClientIp,
            SessionId = _live.Id,
            Details = new JsonObject
            {
                ["algorithm"] = presented.Algorithm,
                ["presented"] = presented.FingerprintSha256,
                ["pinned"] = new JsonArray([.. pinned.Select(p => (JsonNode)JsonValue.Create(p))]),
            },
        }, CancellationToken.None);

    private Task AuditAuthFailedAsync(string login, List<string> methods, string message) =>
        _audit.WriteAsync(new AuditEvent
        {
            Kind = SshAuditKinds.AuthFailed,
            Actor = _live.UserName,
            Target = _target.Id,
            ClientIp = _live.ClientIp,
            SessionId = _live.Id,
            Details = new JsonObject
            {
                ["login"] = login,
                ["methods"] = new JsonArray([.. methods.Select(m => (JsonNode)JsonValue.Create(m))]),
                ["cancelled"] = _promptCancelled,
                ["message"] = message,
            },
        }, CancellationToken.None);

    /// <summary>What <see cref="AcceptHostKey"/> decided.</summary>
    private enum HostKeyDecision
    {
        None,
        Pinned,
        Mismatch,
        TrustOnFirstUse,
        NotPinned,
    }
}
