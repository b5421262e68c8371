using Oriel.Gateway.Desktop;
using Oriel.Tdp;

namespace Oriel.Gateway.Recordings;

/// <summary>
/// The browser's <see cref="ITdpSender"/> with an <see cref="AsciicastRecorder"/> in front: terminal output (108) and
/// exit (112) are recorded, then sent; everything else is only sent. When a required recording cannot be written the
/// recorder throws before the send, so the browser is never shown output that was not recorded.
/// </summary>
internal sealed class AsciicastTee(AsciicastRecorder recorder, ITdpSender browser) : ITdpSender
{
    public ValueTask SendAsync(TdpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        switch (message)
        {
            case TerminalOutputMessage output:
                recorder.Output(output.Data);
                break;
            case TerminalExitMessage exit:
                recorder.Exited(exit);
                break;
        }
        return browser.SendAsync(message);
    }

    /// <summary>
    /// A message sent as its encoded header and a payload: terminal output's data follows its 5-byte header
    /// (<c>| 108 | length |</c>), whichever of the two parts holds it.
    /// </summary>
    public ValueTask SendFragmentedAsync(ReadOnlyMemory<byte> header, ReadOnlyMemory<byte> payload)
    {
        if (!header.IsEmpty && header.Span[0] == (byte)TdpMessageType.TerminalOutput)
        {
            const int skip = TerminalOutputMessage.HeaderSize;
            if (header.Length >= skip)
            {
                if (header.Length > skip) recorder.Output(header.Span[skip..]);
                recorder.Output(payload.Span);
            }
            else
            {
                recorder.Output(payload.Span[Math.Min(payload.Length, skip - header.Length)..]);
            }
        }
        return browser.SendFragmentedAsync(header, payload);
    }
}
