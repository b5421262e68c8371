using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Desktop;
using Oriel.Tdp;
using Oriel.Wire;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// The browser side of a session: one TDP message per WebSocket binary message. Incoming messages
/// are capped before they are buffered; sends are serialised by the caller (the session gate).
/// Neither reads nor sends are ever cancelled by a token: cancelling a WebSocket operation aborts the
/// socket, and the user would get a TCP reset instead of the close frame that says why the session ended.
/// A read that a token gives up on stays pending and is picked up by the next <see cref="ReceiveAsync"/>
/// (or ends when the browser answers the close); a send is cut off only once the session is over and
/// the browser has had <see cref="CloseGrace"/> to read.
/// </summary>
public sealed class TdpChannel : IDisposable, ITdpBrowser
{
    /// <summary>Largest client→server message: a full clipboard plus its header.</summary>
    public const int MaxIncomingMessageBytes = TdpLimits.MaxClipboardBytes + 64;

    private readonly WebSocket _socket;
    private readonly LiveSession _session;
    private readonly TimeProvider _time;
    private byte[] _receiveBuffer = ArrayPool<byte>.Shared.Rent(4096);
    private readonly byte[] _smallSend = new byte[256];
    private readonly CancellationTokenSource _sendAbort;
    private Task<TdpMessage?>? _pendingReceive;

    public TdpChannel(WebSocket socket, LiveSession session, TimeProvider? time = null, TimeSpan? closeGrace = null)
    {
        _socket = socket;
        _session = session;
        _time = time ?? TimeProvider.System;
        CloseGrace = closeGrace ?? new SessionTimeouts().BrowserCloseGrace;
        _sendAbort = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time); // CancelAfter then runs on _time
    }

    /// <summary>How long a closing session waits for a browser that is not reading before it aborts the socket.</summary>
    public TimeSpan CloseGrace { get; }

    public WebSocketState State => _socket.State;

    /// <summary>
    /// Next message from the browser, or null when the browser closed the socket. When <paramref name="ct"/>
    /// fires first this throws <see cref="OperationCanceledException"/> but the socket read goes on (the socket
    /// stays usable for a close frame); the next call continues it.
    /// </summary>
    public async Task<TdpMessage?> ReceiveAsync(CancellationToken ct)
    {
        var pending = _pendingReceive ??= ReceiveMessageAsync();
        try
        {
            return await (ct.CanBeCanceled ? pending.WaitAsync(ct) : pending).ConfigureAwait(false);
        }
        finally
        {
            if (pending.IsCompleted)
            {
                _pendingReceive = null;
            }
        }
    }

    /// <summary>Reads one whole message; never cancelled (see the class summary).</summary>
    private async Task<TdpMessage?> ReceiveMessageAsync()
    {
        var length = 0;
        while (true)
        {
            if (length == _receiveBuffer.Length)
            {
                if (_receiveBuffer.Length >= MaxIncomingMessageBytes)
                {
                    throw new DecodeException("TDP message", $"a message from the browser is larger than {MaxIncomingMessageBytes} bytes");
                }
                var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(_receiveBuffer.Length * 2, MaxIncomingMessageBytes));
                _receiveBuffer.AsSpan(0, length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_receiveBuffer);
                _receiveBuffer = bigger;
            }
            var result = await _socket.ReceiveAsync(_receiveBuffer.AsMemory(length), CancellationToken.None).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }
            if (result.MessageType != WebSocketMessageType.Binary)
            {
                throw new DecodeException("TDP message", "text WebSocket messages are not TDP; send binary messages");
            }
            length += result.Count;
            if (result.EndOfMessage)
            {
                break;
            }
        }
        _session.AddFromBrowser(length);
        return TdpCodec.Decode(_receiveBuffer.AsSpan(0, length));
    }

    // Sends are never cancelled by the session's token: cancelling a WebSocket send aborts the
    // socket, and the user would lose the reason the session ended. A browser that stops reading is
    // cut off by AbortSendsAfter once the session is over.

    public ValueTask SendAsync(TdpMessage message)
    {
        if (message.Size <= _smallSend.Length)
        {
            var n = TdpCodec.Encode(message, _smallSend);
            return SendRawAsync(_smallSend.AsMemory(0, n));
        }
        return SendRawAsync(TdpCodec.Encode(message));
    }

    /// <summary>Sends bytes that already hold exactly one encoded TDP message.</summary>
    public async ValueTask SendRawAsync(ReadOnlyMemory<byte> encodedMessage)
    {
        await _socket.SendAsync(encodedMessage, WebSocketMessageType.Binary, endOfMessage: true, _sendAbort.Token).ConfigureAwait(false);
        _session.AddToBrowser(encodedMessage.Length);
    }

    /// <summary>Sends one TDP message in two WebSocket frames (a header, then a payload) without copying them together.</summary>
    public async ValueTask SendFragmentedAsync(ReadOnlyMemory<byte> header, ReadOnlyMemory<byte> payload)
    {
        await _socket.SendAsync(header, WebSocketMessageType.Binary, endOfMessage: false, _sendAbort.Token).ConfigureAwait(false);
        await _socket.SendAsync(payload, WebSocketMessageType.Binary, endOfMessage: true, _sendAbort.Token).ConfigureAwait(false);
        _session.AddToBrowser(header.Length + payload.Length);
    }

    /// <summary>Aborts any send still blocked on the browser after <paramref name="delay"/> (the session is ending).</summary>
    public void AbortSendsAfter(TimeSpan delay)
    {
        try
        {
            _sendAbort.CancelAfter(delay);
        }
        catch (ObjectDisposedException)
        {
            // Already closed and disposed.
        }
    }

    /// <summary>Tells the user why the session ends (notification, severity error) and closes the socket.</summary>
    public async Task CloseAsync(SessionEndReason reason, string userMessage)
    {
        AbortSendsAfter(CloseGrace);
        var ct = _sendAbort.Token;
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                if (reason is not (SessionEndReason.UserDisconnected or SessionEndReason.TargetClosed))
                {
                    await SendAsync(new NotificationMessage(userMessage, Severity.Error)).ConfigureAwait(false);
                }
                // Close output only: a read may still be pending on this socket (the session's browser
                // loop), and it completes when the browser answers the close.
                await _socket.CloseOutputAsync(SessionEndReasons.CloseStatus(reason), CloseReasonText(userMessage), ct).ConfigureAwait(false);
                if (_pendingReceive is { IsCompleted: false } pending)
                {
                    // The pending read (the session's browser loop, or one a handshake gave up on) ends when the
                    // browser answers the close; a browser that does not answer in time is cut off.
                    try
                    {
                        await pending.WaitAsync(CloseGrace, _time).ConfigureAwait(false);
                    }
                    catch (TimeoutException)
                    {
                        _socket.Abort();
                    }
                }
            }
            else if (_socket.State == WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or TimeoutException or DecodeException)
        {
            // The browser is already gone, or did not answer the close in time; nothing more to tell it.
        }
    }

    /// <summary>A WebSocket close reason is at most 123 UTF-8 bytes.</summary>
    internal static string CloseReasonText(string text)
    {
        if (Encoding.UTF8.GetByteCount(text) <= 123) return text;
        var s = text;
        while (Encoding.UTF8.GetByteCount(s) > 120) s = s[..^1];
        return s + "...";
    }

    public void Dispose()
    {
        _sendAbort.Dispose();
        if (_pendingReceive is { IsCompleted: false })
        {
            return; // a read still fills the buffer until the socket is aborted; it is left to the garbage collector
        }
        var b = Interlocked.Exchange(ref _receiveBuffer, []);
        if (b.Length > 0) ArrayPool<byte>.Shared.Return(b);
    }
}
