using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Renci.SshNet;
using ConnectionInfo = Renci.SshNet.ConnectionInfo;
using Renci.SshNet.Common;

namespace Oriel.Gateway.Ssh;

/// <summary>
/// Oriel's SSH client over SSH.NET (pinned to <see cref="SshNetChannelBridge.PinnedVersion"/>): Oriel's algorithm list
/// (<see cref="SshNetAlgorithms"/>), the host key decided by <see cref="SshConnectRequest.AcceptHostKey"/>, the vault's
/// credentials and the user's prompter (<see cref="SshNetAuthentication"/>). This file and the other <c>SshNet*</c>
/// files are the only ones that name the library.
/// </summary>
public sealed class SshNetConnector : ISshConnector
{
    /// <summary>How long channel requests and sends may wait for the server once connected (SSH.NET's own timeout).</summary>
    internal static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long SSH.NET waits for one reply during authentication when the user may be asked (typing time).</summary>
    private static readonly TimeSpan PromptTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The bridge's members and every algorithm Oriel names, checked once per process.</summary>
    private static readonly Lazy<bool> s_libraryChecked = new(() =>
    {
        _ = SshNetChannelBridge.Instance;
        using var none = new NoneAuthenticationMethod("check");
        SshNetAlgorithms.Apply(new ConnectionInfo("localhost", "check", none));
        return true;
    });

    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;

    /// <summary>Checks at once that the loaded SSH.NET has what Oriel uses (throws <see cref="InvalidOperationException"/> with a sentence if not).</summary>
    public SshNetConnector(ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        _loggers = loggers;
        _logger = loggers.CreateLogger<SshNetConnector>();
        _ = s_libraryChecked.Value;
    }

    /// <summary>The output buffer of each terminal (bytes held while the reader does not read); see <see cref="SshNetTerminal"/>.</summary>
    public int OutputBufferBytes { get; init; } = SshNetTerminal.DefaultOutputBufferBytes;

    public async Task<ISshConnection> ConnectAsync(SshConnectRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bridge = SshNetChannelBridge.Instance;
        var (client, connected, authentication) = await ConnectClientAsync(request, info => new SshClient(info), ct).ConfigureAwait(false);
        try
        {
            var session = bridge.SessionOf(client) ?? throw new SshFailure(SshFailureKind.ProtocolError, "The SSH connection has no session.");
            return new SshNetConnection((SshClient)client, session, bridge, connected, Endpoint(request), OutputBufferBytes,
                _loggers.CreateLogger<SshNetConnection>());
        }
        catch
        {
            await DisposeQuietlyAsync(client).ConfigureAwait(false);
            throw;
        }
        finally
        {
            authentication.Dispose();
        }
    }

    public async Task<ISftpSession> ConnectSftpAsync(SshConnectRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        request = request with { Prompter = null };
        var (client, _, authentication) = await ConnectClientAsync(request, info => new SftpClient(info), ct).ConfigureAwait(false);
        authentication.Dispose();
        var sftp = (SftpClient)client;
        var endpoint = Endpoint(request);
        SshNetLog.SftpConnected(_logger, endpoint, request.Username, sftp.WorkingDirectory);
        return new SshNetSftpSession(sftp, endpoint, _loggers.CreateLogger<SshNetSftpSession>());
    }

    /// <summary>"host:port" for sentences and logs.</summary>
    private static string Endpoint(SshConnectRequest request) =>
        request.Host.Contains(':', StringComparison.Ordinal) ? $"[{request.Host}]:{request.Port}" : $"{request.Host}:{request.Port}";

    /// <summary>The host key as Oriel pins it: algorithm, "SHA256:" + unpadded base64 of the key blob's SHA-256, bits.</summary>
    internal static SshHostKey HostKeyOf(HostKeyEventArgs e) =>
        new(e.HostKeyName, "SHA256:" + Convert.ToBase64String(SHA256.HashData(e.HostKey)).TrimEnd('='), e.KeyLength);

    /// <summary>
    /// Connects and authenticates a client of the given kind within the deadline; on failure disposes it and throws
    /// <see cref="SshFailure"/>.
    /// </summary>
    private async Task<(BaseClient Client, SshConnectionInfo Info, SshNetAuthentication Authentication)> ConnectClientAsync(
        SshConnectRequest request, Func<ConnectionInfo, BaseClient> create, CancellationToken ct)
    {
        var endpoint = Endpoint(request);
        using var deadline = new SshNetConnectDeadline(request.Time, request.ConnectTimeout);
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(ct);
        SshNetAuthentication authentication;
        try
        {
            authentication = new SshNetAuthentication(request, deadline, _logger, abort.Token);
        }
        catch (SshFailure failure)
        {
            SshNetLog.ConnectFailed(_logger, endpoint, failure.Kind, failure.Message, failure);
            throw;
        }
        if (authentication.Methods.Count == 0)
        {
            authentication.Dispose();
            var none = new SshFailure(SshFailureKind.AuthenticationFailed,
                $"No password or key is stored for {request.Username} on this target, and the user may not be asked for one.");
            SshNetLog.ConnectFailed(_logger, endpoint, none.Kind, none.Message, none);
            throw none;
        }

        var info = new ConnectionInfo(request.Host, request.Port, request.Username, [.. authentication.Methods])
        {
            Timeout = request.Prompter is null ? Max(request.ConnectTimeout, TimeSpan.FromSeconds(1)) : Max(request.ConnectTimeout, PromptTimeout),
            ChannelCloseTimeout = TimeSpan.FromSeconds(1),
        };
        SshNetAlgorithms.Apply(info);
        var client = create(info);
        SshHostKey? presented = null;
        var refused = false;
        client.HostKeyReceived += (_, e) =>
        {
            var key = HostKeyOf(e);
            presented = key;
            bool trusted;
            try
            {
                trusted = request.AcceptHostKey(key);
            }
            catch (Exception)
            {
                trusted = false;
            }
            e.CanTrust = trusted;
            if (!trusted)
            {
                refused = true;
                SshNetLog.HostKeyRefused(_logger, endpoint, key.ToString());
            }
        };

        var connecting = Task.Run(() => client.ConnectAsync(abort.Token), CancellationToken.None);
        try
        {
            var first = await Task.WhenAny(connecting, deadline.Expired).WaitAsync(ct).ConfigureAwait(false);
            if (first != connecting)
            {
                throw new SshFailure(SshFailureKind.Timeout, $"The SSH server at {endpoint} did not complete the connection and login within {request.ConnectTimeout.TotalSeconds:0} seconds.");
            }
            await connecting.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await abort.CancelAsync().ConfigureAwait(false);
            await DisposeQuietlyAsync(client).ConfigureAwait(false);
            _ = connecting.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            authentication.Dispose();
            SshFailure failure;
            if (e is OperationCanceledException && ct.IsCancellationRequested) throw;
            if (refused && presented is not null)
            {
                failure = new SshFailure(SshFailureKind.HostKeyRefused, $"The host key of the SSH server at {endpoint} ({presented}) is not trusted for this target.", e)
                {
                    PresentedHostKey = presented,
                };
            }
            else if (authentication.Cancelled)
            {
                failure = new SshFailure(SshFailureKind.AuthenticationFailed, "The login was cancelled.", e);
            }
            else
            {
                failure = SshNetFailures.Connect(e, endpoint, request.Username);
            }
            SshNetLog.ConnectFailed(_logger, endpoint, failure.Kind, failure.Message, e);
            throw failure;
        }

        info.Timeout = OperationTimeout;
        var hostKey = presented ?? new SshHostKey(info.CurrentHostKeyAlgorithm ?? "unknown", "", 0);
        var connected = new SshConnectionInfo(
            info.ServerVersion ?? "",
            info.CurrentKeyExchangeAlgorithm ?? "",
            hostKey,
            info.CurrentClientEncryption ?? "",
            info.CurrentServerEncryption ?? "",
            info.CurrentClientHmacAlgorithm ?? "<implicit>",
            info.CurrentServerHmacAlgorithm ?? "<implicit>",
            authentication.Succeeded ?? "none");
        SshNetLog.Connected(_logger, endpoint, request.Username, connected.ServerVersion, connected.KeyExchange, hostKey.ToString(),
            connected.CipherServerToClient, connected.AuthenticationMethod);
        return (client, connected, authentication);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    internal static async Task DisposeQuietlyAsync(BaseClient client)
    {
        try
        {
            await Task.Run(client.Dispose).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SshException or System.Net.Sockets.SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Already broken; nothing more to release.
        }
    }
}
