using System.Buffers;
using Oriel.Gateway.Desktop;
using Oriel.Tdp;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// The session's <see cref="ITdpSender"/> with a <see cref="LiveView"/> in front: called under the session's gate, it
/// first sends any notice the view has for the user, then hands each message to the view (encoded only when someone
/// watches, or when it is a cursor shape the view keeps for keyframes), then sends it on.
/// </summary>
internal sealed class LiveViewTee(LiveView view, ITdpSender browser) : ITdpSender
{
    private readonly ArrayBufferWriter<byte> _scratch = new(64 * 1024);

    public async ValueTask SendAsync(TdpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        await view.SendNoticesAsync().ConfigureAwait(false);
        if (view.HasWatchers || message.Type == TdpMessageType.CursorShape)
        {
            _scratch.ResetWrittenCount();
            var n = TdpCodec.Encode(message, _scratch.GetSpan(message.Size));
            _scratch.Advance(n);
            view.Sent(message.Type, _scratch.WrittenSpan);
        }
        await browser.SendAsync(message).ConfigureAwait(false);
    }

    public async ValueTask SendFragmentedAsync(ReadOnlyMemory<byte> header, ReadOnlyMemory<byte> payload)
    {
        await view.SendNoticesAsync().ConfigureAwait(false);
        var type = (TdpMessageType)header.Span[0];
        if (view.HasWatchers || type == TdpMessageType.CursorShape)
        {
            _scratch.ResetWrittenCount();
            var whole = _scratch.GetSpan(header.Length + payload.Length);
            header.Span.CopyTo(whole);
            payload.Span.CopyTo(whole[header.Length..]);
            _scratch.Advance(header.Length + payload.Length);
            view.Sent(type, _scratch.WrittenSpan);
        }
        await browser.SendFragmentedAsync(header, payload).ConfigureAwait(false);
    }
}
