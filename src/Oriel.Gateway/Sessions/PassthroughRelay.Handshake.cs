using System.Buffers;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Storage;
using Oriel.Graphics;
using Oriel.Rfb;
using Oriel.Rfb.Encodings;
using Oriel.Rfb.Messages;
using Oriel.Rfb.Passthrough;
using Oriel.Wire;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// Before the relay: the gateway's login to the target with the stored credentials ([RFC 6143] 7.1-7.2 and
/// VeNCrypt, by the RFB engine), and the None-security handshake it plays to the viewer ([RFC 6143] 7.1-7.3.1).
/// </summary>
public sealed partial class PassthroughRelay
{
    private byte[] _clientInit = [];

    /// <summary>A read from the viewer that its handshake's time limit gave up on; it ends when the viewer answers the close.</summary>
    private Task<int>? _pendingHandshakeRead;

    /// <summary>The security the gateway used with the target, once logged in (e.g. "VNC Authentication, RFB 3.8").</summary>
    public string? TargetSecurity { get; private set; }

    /// <summary>
    /// Logs in to the target with the stored credentials and stops before ClientInit; returns any bytes the
    /// target sent after SecurityResult (normally none). A refused login is <see cref="SessionEndReason.AuthenticationFailed"/>
    /// with the same sentence as a rendered session; the target's handshake bytes are counted, never recorded.
    /// </summary>
    private async Task<byte[]> AuthenticateToTargetAsync(CancellationToken ct)
    {
        var engine = new RfbClient(new RfbClientOptions
        {
            Password = _target.Password,
            Username = _target.Username,
            Security = VncSecurityNames.ToPolicy(_target.SettingsAs<VncTargetSettings>()),
            StopAfterSecurity = true,
        }, NoFramebuffer.Instance);
        var output = new ArrayBufferWriter<byte>(64);
        var buffer = new byte[4096];
        // The whole login, TLS included (which also has its own, shorter limit), within SessionTimeouts.TargetHandshake.
        using var timeout = new TimeLimit(_timeouts.TargetHandshake, _time, ct);
        try
        {
            while (engine.Phase != RfbPhase.Authenticated)
            {
                int n;
                try
                {
                    n = await _stream!.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
                }
                catch (IOException ex)
                {
                    throw new SessionFailure(SessionEndReason.TargetClosed, "The connection to the desktop server was lost.", ex);
                }
                if (n == 0)
                {
                    throw new SessionFailure(SessionEndReason.TargetClosed, "The desktop server closed the connection during the handshake.");
                }
                _live.AddFromTarget(n);
                StepEngine(() => engine.Receive(buffer.AsSpan(0, n)));
                while (engine.TryDequeueEvent(out var ev))
                {
                    switch (ev)
                    {
                        case RfbTlsRequired tls:
                            await FlushAsync(engine, output, timeout.Token).ConfigureAwait(false);
                            _stream = await TargetTls.AuthenticateAsync(_stream!, _target, tls.Subtype, _timeouts, _time, _log, _live.Id, timeout.Token).ConfigureAwait(false);
                            StepEngine(engine.TlsEstablished);
                            break;
                        case RfbAuthenticated done:
                            TargetSecurity = $"{Describe(done.SecurityType)}, RFB {done.Version}";
                            break;
                        default:
                            break;
                    }
                }
                await FlushAsync(engine, output, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException ex) when (timeout.Expired && !ct.IsCancellationRequested)
        {
            Log.TargetLoginTimedOut(_log, _live.Id, _target.Id, _timeouts.TargetHandshake.TotalSeconds);
            throw new SessionFailure(SessionEndReason.TargetUnresponsive,
                $"The desktop server accepted the connection but did not finish the VNC login within {SessionTimeouts.Describe(_timeouts.TargetHandshake)}. It may be overloaded, or not a VNC server.", ex);
        }
        Log.TargetAuthenticated(_log, _live.Id, _target.Id, TargetSecurity ?? "?");
        return engine.TakeUnprocessedInput();
    }

    /// <summary>Runs an engine call and maps its failures to the session's reasons.</summary>
    private void StepEngine(Action step)
    {
        try
        {
            step();
        }
        catch (DecodeException ex)
        {
            Log.TargetProtocolError(_log, _live.Id, _target.Id, ex.Message);
            throw new SessionFailure(SessionEndReason.TargetProtocolError, $"Protocol error: the desktop server sent data Oriel could not accept ({ex.Message}).", ex);
        }
        catch (RfbSecurityException ex)
        {
            Log.TargetLoginRefused(_log, _live.Id, _target.Id, ex.Kind.ToString());
            throw new SessionFailure(SessionEndReason.AuthenticationFailed, VncSession.DescribeSecurityFailure(ex), ex);
        }
    }

    private async Task FlushAsync(RfbClient engine, ArrayBufferWriter<byte> output, CancellationToken ct)
    {
        if (!engine.HasOutput) return;
        engine.TakeOutput(output);
        try
        {
            await WriteToTargetAsync(output.WrittenMemory, ct).ConfigureAwait(false);
        }
        finally
        {
            output.Clear(); // a VNC Authentication response or a Plain password passed through here
        }
    }

    private static string Describe(uint securityType) => securityType switch
    {
        RfbSecurityType.None => "None",
        RfbSecurityType.VncAuthentication => "VNC Authentication",
        _ when Enum.IsDefined((RfbVeNCryptSubtype)securityType) => $"VeNCrypt {(RfbVeNCryptSubtype)securityType}",
        _ => $"security type {securityType}",
    };

    /// <summary>
    /// Plays <see cref="RfbNoneSecurityServerHandshake"/> to the viewer, recording both sides as the viewer saw
    /// them (through the filter, so it follows the viewer's stream from its ProtocolVersion), and prepares the
    /// ClientInit for the target with the viewer's shared-flag. Returns the viewer's bytes after ClientInit.
    /// </summary>
    private async Task<byte[]> ServeBrowserHandshakeAsync(CancellationToken ct)
    {
        var handshake = new RfbNoneSecurityServerHandshake();
        var toBrowser = new ArrayBufferWriter<byte>(32);
        var recorded = new ArrayBufferWriter<byte>(32);
        var buffer = new byte[4096];
        await SendHandshakeOutputAsync(handshake, toBrowser, ct).ConfigureAwait(false);
        // The reads are not cancelled when the time is up (that would abort the WebSocket, and the viewer would see
        // a reset instead of the close frame that says why): the read stays pending until the viewer answers the close.
        using var timeout = new TimeLimit(_timeouts.BrowserHandshake, _time, ct);
        while (true)
        {
            int n;
            var read = _pendingHandshakeRead = ReceiveFromBrowserAsync(buffer, CancellationToken.None);
            try
            {
                n = await read.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (timeout.Expired && !ct.IsCancellationRequested)
            {
                Log.BrowserHandshakeTimedOut(_log, _live.Id, _timeouts.BrowserHandshake.TotalSeconds);
                throw new SessionFailure(SessionEndReason.BrowserProtocolError,
                    $"The VNC viewer did not finish the RFB handshake within {SessionTimeouts.Describe(_timeouts.BrowserHandshake)}.", ex);
            }
            finally
            {
                if (read.IsCompleted)
                {
                    _pendingHandshakeRead = null;
                }
            }
            if (n == 0) continue;
            int used;
            try
            {
                used = handshake.Receive(buffer.AsSpan(0, n));
            }
            catch (DecodeException ex)
            {
                throw new SessionFailure(SessionEndReason.BrowserProtocolError, $"Protocol error: the VNC viewer's handshake could not be accepted ({ex.Message}).", ex);
            }
            // The gateway's answer is shown to the filter first (a 3.3 viewer's ClientInit needs the server's
            // choice), but recorded after the viewer's bytes that prompted it.
            toBrowser.ResetWrittenCount();
            handshake.TakeOutput(toBrowser);
            lock (_filter)
            {
                _filter.ObserveServer(toBrowser.WrittenSpan);
                recorded.ResetWrittenCount();
                FilterClientBytes(buffer.AsSpan(0, used), recorded);
                _recorder?.ClientData(recorded.WrittenSpan);
                _recorder?.ServerData(toBrowser.WrittenSpan);
            }
            if (toBrowser.WrittenCount > 0)
            {
                await SendToBrowserAsync(toBrowser.WrittenMemory, ct).ConfigureAwait(false);
            }
            if (handshake.IsComplete)
            {
                var init = new ClientInitMessage(handshake.Shared!.Value);
                _clientInit = new byte[init.Size];
                var w = new SpanWriter(_clientInit);
                init.Encode(ref w);
                return buffer.AsSpan(used, n - used).ToArray();
            }
        }
    }

    /// <summary>The handshake's first output, the gateway's ProtocolVersion, before the viewer says anything.</summary>
    private async Task SendHandshakeOutputAsync(RfbNoneSecurityServerHandshake handshake, ArrayBufferWriter<byte> toBrowser, CancellationToken ct)
    {
        toBrowser.ResetWrittenCount();
        handshake.TakeOutput(toBrowser);
        lock (_filter)
        {
            _filter.ObserveServer(toBrowser.WrittenSpan);
            _recorder?.ServerData(toBrowser.WrittenSpan);
        }
        await SendToBrowserAsync(toBrowser.WrittenMemory, ct).ConfigureAwait(false);
    }

    /// <summary>The login engine stops before ServerInit, so no framebuffer ever exists.</summary>
    private sealed class NoFramebuffer : IFramebufferSink
    {
        public static readonly NoFramebuffer Instance = new();

        public void Damaged(Rect area)
        {
        }

        public void Copied(Rect source, int dx, int dy)
        {
        }
    }
}
