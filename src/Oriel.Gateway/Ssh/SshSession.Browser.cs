using System.Net.WebSockets;
using System.Threading.Channels;
using Oriel.Gateway.Sessions;
using Oriel.Tdp;
using Oriel.Wire;

namespace Oriel.Gateway.Ssh;

public sealed partial class SshSession
{
    /// <summary>
    /// The browser's messages, from the handshake's end until the browser closes: terminal input (to a prompt's answer
    /// before the shell exists, to the shell after), resizes, and acks. It never waits on the server (input goes through
    /// a queue), so acks are always read. Never cancelled: a WebSocket read that is cancelled aborts the socket.
    /// </summary>
    private async Task PumpBrowserAsync()
    {
        while (true)
        {
            TdpMessage? message;
            try
            {
                message = await _browser.ReceiveAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (DecodeException ex)
            {
                Log.BrowserProtocolError(_log, _live.Id, ex.Message);
                throw new SessionFailure(SessionEndReason.BrowserProtocolError, $"Protocol error: the browser sent a message Oriel could not accept ({ex.Message}).", ex);
            }
            catch (WebSocketException ex)
            {
                throw new SessionFailure(SessionEndReason.UserDisconnected, "The browser connection was lost.", ex);
            }
            switch (message)
            {
                case null:
                    throw new SessionFailure(SessionEndReason.UserDisconnected, "The browser closed the session.");
                case TerminalInputMessage input:
                    await TakeInputAsync(input.Data).ConfigureAwait(false);
                    break;
                case TerminalResizeMessage resize:
                    Resize(resize);
                    break;
                case TerminalAckMessage ack:
                    Acknowledge(ack.Bytes);
                    break;
                default:
                    break; // desktop messages mean nothing to a terminal
            }
        }
    }

    /// <summary>
    /// Typed bytes: to the prompts while there is no shell yet, then to the shell's input queue (the browser loop waits
    /// only when the queue is full, so a paste cannot grow it without bound). Never logged.
    /// </summary>
    private async ValueTask TakeInputAsync(byte[] data)
    {
        lock (_inputRoute)
        {
            if (!_shellInput)
            {
                OfferPromptInput(data);
                return;
            }
        }
        try
        {
            await _input.Writer.WriteAsync(data, _stopped.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            // The session is ending: the input has nowhere to go.
        }
    }

    /// <summary>The browser's terminal changed size: remembered for the pseudo-terminal, or sent as a window-change.</summary>
    private void Resize(TerminalResizeMessage resize)
    {
        lock (_sizeLock)
        {
            _size = resize;
        }
        _firstResize.TrySetResult();
        _terminal?.Resize(resize.Columns, resize.Rows, resize.WidthPixels, resize.HeightPixels);
    }
}
