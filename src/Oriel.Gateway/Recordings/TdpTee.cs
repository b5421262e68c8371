using System.Buffers;
using Oriel.Gateway.Desktop;
using Oriel.Tdp;

namespace Oriel.Gateway.Recordings;

/// <summary>
/// The browser's <see cref="ITdpSender"/> with a <see cref="TdpRecorder"/> in front: each message is recorded whole,
/// then sent. A clipboard message is sent but recorded as a note of its size. When a required recording cannot be
/// written the recorder throws before the send, so the browser is never shown what was not recorded.
/// </summary>
internal sealed class TdpTee(TdpRecorder recorder, ITdpSender browser) : ITdpSender
{
    private readonly ArrayBufferWriter<byte> _scratch = new(64 * 1024);

    public ValueTask SendAsync(TdpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message is ClipboardDataMessage clip)
        {
            recorder.Note($"clipboard: {clip.Data.Length} bytes to the browser");
        }
        else
        {
            _scratch.ResetWrittenCount();
            var n = TdpCodec.Encode(message, _scratch.GetSpan(message.Size));
            _scratch.Advance(n);
            recorder.ServerSent(message.Type, _scratch.WrittenSpan);
        }
        return browser.SendAsync(message);
    }

    public ValueTask SendFragmentedAsync(ReadOnlyMemory<byte> header, ReadOnlyMemory<byte> payload)
    {
        _scratch.ResetWrittenCount();
        var whole = _scratch.GetSpan(header.Length + payload.Length);
        header.Span.CopyTo(whole);
        payload.Span.CopyTo(whole[header.Length..]);
        _scratch.Advance(header.Length + payload.Length);
        recorder.ServerSent((TdpMessageType)header.Span[0], _scratch.WrittenSpan);
        return browser.SendFragmentedAsync(header, payload);
    }
}
