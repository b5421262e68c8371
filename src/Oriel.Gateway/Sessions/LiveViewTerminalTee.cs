using System.Buffers;
using Oriel.Gateway.Desktop;
using Oriel.Tdp;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// A terminal session's <see cref="ITdpSender"/> with its <see cref="LiveView"/> in front. A terminal protocol has no
/// desktop surface and so gives its observers no gate; this tee is the gate of the browser socket instead: every send
/// runs under <paramref name="gate"/>, so the view's notices to the user (someone watches) go out in order with the
/// session's own messages even while the terminal is idle. Each terminal output (108) is handed to the view for its
/// replay, without copying when nobody watches; while someone does, each message is also encoded once for the watchers'
/// queues. Then the message is sent on.
/// </summary>
internal sealed class LiveViewTerminalTee(LiveView view, ITdpSender browser, SemaphoreSlim gate) : ITdpSender
{
    private readonly ArrayBufferWriter<byte> _scratch = new(TerminalOutputMessage.HeaderSize + TdpLimits.MaxTerminalOutputBytes);

    public async ValueTask SendAsync(TdpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await view.SendNoticesAsync().ConfigureAwait(false);
            Observe(message);
            await browser.SendAsync(message).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask SendFragmentedAsync(ReadOnlyMemory<byte> header, ReadOnlyMemory<byte> payload)
    {
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await view.SendNoticesAsync().ConfigureAwait(false);
            Observe(header.Span, payload.Span);
            await browser.SendFragmentedAsync(header, payload).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private void Observe(TdpMessage message)
    {
        var output = message as TerminalOutputMessage;
        if (!view.HasWatchers)
        {
            if (output is not null)
            {
                view.TerminalSent(message.Type, output.Data, default);
            }
            return;
        }
        _scratch.ResetWrittenCount();
        var n = TdpCodec.Encode(message, _scratch.GetSpan(message.Size));
        _scratch.Advance(n);
        view.TerminalSent(message.Type, output is null ? default : output.Data, _scratch.WrittenSpan);
    }

    /// <summary>A message sent in two parts (a header, then a payload): put together only when it must be.</summary>
    private void Observe(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload)
    {
        var type = (TdpMessageType)header[0];
        var watched = view.HasWatchers;
        if (type != TdpMessageType.TerminalOutput && !watched)
        {
            return;
        }
        if (!watched && header.Length == TerminalOutputMessage.HeaderSize)
        {
            view.TerminalSent(type, payload, default); // the usual case: the header is the type and the length
            return;
        }
        _scratch.ResetWrittenCount();
        var whole = _scratch.GetSpan(header.Length + payload.Length);
        header.CopyTo(whole);
        payload.CopyTo(whole[header.Length..]);
        _scratch.Advance(header.Length + payload.Length);
        var encoded = _scratch.WrittenSpan;
        var data = type == TdpMessageType.TerminalOutput ? encoded[TerminalOutputMessage.HeaderSize..] : default;
        view.TerminalSent(type, data, watched ? encoded : default);
    }
}
