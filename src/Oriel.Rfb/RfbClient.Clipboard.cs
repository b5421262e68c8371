using System.Text;
using Oriel.Rfb.Messages;

namespace Oriel.Rfb;

/// <summary>Clipboard: ServerCutText / ClientCutText ([RFC 6143] 7.5.6, 7.6.4) and the Extended Clipboard pseudo-encoding (rfbproto).</summary>
public sealed partial class RfbClient
{
    /// <summary>The server's Extended Clipboard caps flags, once it sent them.</summary>
    private uint? _serverClipboardCaps;

    /// <summary>The largest text the server accepts unsolicited in a provide message.</summary>
    private uint _serverClipboardTextMax;

    /// <summary>Our clipboard as last given to <see cref="SendClipboard"/>, offered when the server requests it.</summary>
    private string? _localClipboard;

    /// <summary>
    /// Sends our clipboard text: with the Extended Clipboard (UTF-8, zlib) when the server announced
    /// it (a provide when the server accepts that size unsolicited, else a notify and a provide on
    /// request), otherwise as Latin-1 ClientCutText with characters outside Latin-1 as '?'. Text
    /// longer than <see cref="RfbClientOptions.MaxClipboardBytes"/> characters is truncated.
    /// </summary>
    public void SendClipboard(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        EnsureNormal();
        var max = _options.MaxClipboardBytes;
        if (text.Length > max)
        {
            var cut = max > 0 && char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
            text = text[..cut];
        }
        _localClipboard = text;
        if (_serverClipboardCaps is { } caps && (caps & ExtendedClipboardFlags.Text) != 0)
        {
            var canProvide = (caps & ExtendedClipboardFlags.Provide) != 0 &&
                             Encoding.UTF8.GetByteCount(text) + 1 <= _serverClipboardTextMax;
            if (canProvide)
            {
                Send(ClientCutTextMessage.FromExtended(ExtendedClipboardMessage.CreateTextProvide(text)));
                return;
            }
            if ((caps & ExtendedClipboardFlags.Notify) != 0)
            {
                Send(ClientCutTextMessage.FromExtended(ExtendedClipboardMessage.CreateAction(ExtendedClipboardFlags.Notify, ExtendedClipboardFlags.Text)));
                return;
            }
        }
        Send(ClientCutTextMessage.FromString(text));
    }

    private void OnServerCutText(ServerCutTextMessage message)
    {
        if (message.Extended is not { } ext)
        {
            Emit(new RfbClipboardText(message.TextString!));
            return;
        }
        if (ext.Has(ExtendedClipboardFlags.Caps))
        {
            var sizes = ext.ReadCapsSizes();
            _serverClipboardCaps = ext.Flags;
            _serverClipboardTextMax = (ext.Formats & ExtendedClipboardFlags.Text) != 0 ? sizes[0] : 0;
            const uint ours = ExtendedClipboardFlags.Text | ExtendedClipboardFlags.Request | ExtendedClipboardFlags.Peek |
                              ExtendedClipboardFlags.Notify | ExtendedClipboardFlags.Provide;
            Send(ClientCutTextMessage.FromExtended(ExtendedClipboardMessage.CreateCaps(ours, [(uint)_options.MaxClipboardBytes])));
        }
        else if (ext.Has(ExtendedClipboardFlags.Request))
        {
            if ((ext.Formats & ExtendedClipboardFlags.Text) != 0)
            {
                Send(ClientCutTextMessage.FromExtended(ExtendedClipboardMessage.CreateTextProvide(_localClipboard ?? "")));
            }
        }
        else if (ext.Has(ExtendedClipboardFlags.Peek))
        {
            var formats = _localClipboard is null ? 0 : ExtendedClipboardFlags.Text;
            Send(ClientCutTextMessage.FromExtended(ExtendedClipboardMessage.CreateAction(ExtendedClipboardFlags.Notify, formats)));
        }
        else if (ext.Has(ExtendedClipboardFlags.Notify))
        {
            if ((ext.Formats & ExtendedClipboardFlags.Text) != 0)
            {
                Send(ClientCutTextMessage.FromExtended(ExtendedClipboardMessage.CreateAction(ExtendedClipboardFlags.Request, ExtendedClipboardFlags.Text)));
            }
        }
        else if (ext.Has(ExtendedClipboardFlags.Provide))
        {
            var text = ext.ReadProvidedText(_options.MaxClipboardBytes);
            if (text is not null) Emit(new RfbClipboardText(text));
        }
    }
}
