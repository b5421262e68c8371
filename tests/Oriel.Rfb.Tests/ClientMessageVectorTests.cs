using Oriel.Rfb.Encodings;
using Oriel.Rfb.Messages;
using Oriel.Wire;

namespace Oriel.Rfb.Tests;

public class ClientMessageVectorTests
{
    [Fact]
    public void ProtocolVersion()
    {
        Assert.Equal(HexVectors.Load("protocol_version_3_8"), Wire.Encode(ProtocolVersionMessage.V38));
        Assert.Equal(HexVectors.Load("protocol_version_3_3"), Wire.Encode(ProtocolVersionMessage.V33));
        var r = new SpanReader(HexVectors.Load("protocol_version_3_8"));
        Assert.Equal(new ProtocolVersionMessage(3, 8), ProtocolVersionMessage.Decode(ref r));
    }

    [Fact]
    public void SecurityTypeSelectionAndClientInit()
    {
        Assert.Equal([2], Wire.Encode(new SecurityTypeSelectionMessage(2)));
        Assert.Equal(HexVectors.Load("client_init_shared"), Wire.Encode(new ClientInitMessage(true)));
        Assert.Equal([0], Wire.Encode(new ClientInitMessage(false)));
    }

    [Fact]
    public void VeNCryptClientMessages()
    {
        Assert.Equal(HexVectors.Load("vencrypt_version_0_2"), Wire.Encode(VeNCryptVersionMessage.V02));
        Assert.Equal(HexVectors.Load("vencrypt_subtype_x509plain"), Wire.Encode(new VeNCryptSubtypeSelectionMessage((uint)RfbVeNCryptSubtype.X509Plain)));
        Assert.Equal(HexVectors.Load("vencrypt_plain"), Wire.Encode(new VeNCryptPlainMessage("user", "secret")));
        Assert.DoesNotContain("secret", new VeNCryptPlainMessage("user", "secret").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void SetPixelFormat()
    {
        var bytes = HexVectors.Load("set_pixel_format_rgb888");
        Assert.Equal(bytes, Wire.Encode(new SetPixelFormatMessage(PixelFormat.Rgb888)));
        var r = new SpanReader(bytes);
        Assert.Equal(PixelFormat.Rgb888, SetPixelFormatMessage.Decode(ref r).PixelFormat);
        r.EnsureEnd();
    }

    [Fact]
    public void SetEncodings()
    {
        var bytes = HexVectors.Load("set_encodings");
        var message = new SetEncodingsMessage([RfbEncodingType.CopyRect, RfbEncodingType.Raw, RfbEncodingType.DesktopSize]);
        Assert.Equal(bytes, Wire.Encode(message));
        var r = new SpanReader(bytes);
        Assert.Equal(message.Encodings, SetEncodingsMessage.Decode(ref r).Encodings);
    }

    [Fact]
    public void FramebufferUpdateRequest()
    {
        var bytes = HexVectors.Load("framebuffer_update_request");
        var message = new FramebufferUpdateRequestMessage(true, 0, 0, 800, 600);
        Assert.Equal(bytes, Wire.Encode(message));
        var r = new SpanReader(bytes);
        Assert.Equal(message, FramebufferUpdateRequestMessage.Decode(ref r));
    }

    [Fact]
    public void KeyEvent()
    {
        var bytes = HexVectors.Load("key_event");
        var message = new KeyEventMessage(true, 0xff0d);
        Assert.Equal(bytes, Wire.Encode(message));
        var r = new SpanReader(bytes);
        Assert.Equal(message, KeyEventMessage.Decode(ref r));
    }

    [Fact]
    public void PointerEvent()
    {
        var bytes = HexVectors.Load("pointer_event");
        var message = new PointerEventMessage(1, 100, 200);
        Assert.Equal(bytes, Wire.Encode(message));
        var r = new SpanReader(bytes);
        Assert.Equal(message, PointerEventMessage.Decode(ref r));
    }

    [Fact]
    public void ClientCutTextLatin1ReplacesCharactersOutsideLatin1()
    {
        var bytes = HexVectors.Load("client_cut_text");
        Assert.Equal(bytes, Wire.Encode(ClientCutTextMessage.FromString("Héll€")));
        // A character outside the BMP (two UTF-16 units) becomes one '?'.
        Assert.Equal([(byte)'a', (byte)'?', (byte)'b'], ClientCutTextMessage.FromString("a\U0001F600b").Text!);
        var r = new SpanReader(bytes);
        var decoded = ClientCutTextMessage.Decode(ref r, 100);
        Assert.Equal(bytes[8..], decoded.Text);
        Assert.Null(decoded.Extended);
    }

    [Fact]
    public void ClientCutTextExtendedCaps()
    {
        var bytes = HexVectors.Load("client_cut_text_extended_caps");
        const uint flags = ExtendedClipboardFlags.Text | ExtendedClipboardFlags.Request | ExtendedClipboardFlags.Peek |
                           ExtendedClipboardFlags.Notify | ExtendedClipboardFlags.Provide;
        var message = ClientCutTextMessage.FromExtended(ExtendedClipboardMessage.CreateCaps(flags, [1u << 20]));
        Assert.Equal(bytes, Wire.Encode(message));
        var r = new SpanReader(bytes);
        var decoded = ClientCutTextMessage.Decode(ref r, 100);
        Assert.Equal(flags | ExtendedClipboardFlags.Caps, decoded.Extended!.Flags);
        Assert.Equal([1u << 20], decoded.Extended.ReadCapsSizes());
    }

    [Fact]
    public void SetDesktopSize()
    {
        var bytes = HexVectors.Load("set_desktop_size");
        var message = new SetDesktopSizeMessage(1024, 768, [new DesktopScreen(1, 0, 0, 1024, 768, 0)]);
        Assert.Equal(bytes, Wire.Encode(message));
        var r = new SpanReader(bytes);
        var decoded = SetDesktopSizeMessage.Decode(ref r);
        Assert.Equal((ushort)1024, decoded.Width);
        Assert.Equal((ushort)768, decoded.Height);
        Assert.Equal(message.Screens, decoded.Screens);
    }
}
