using Oriel.Graphics;
using Oriel.Rfb.Encodings;
using Oriel.Rfb.Messages;
using Oriel.Wire;

namespace Oriel.Rfb.Tests;

public class NormalPhaseTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(int.MaxValue)]
    public void RawThenCopyRect(int chunk)
    {
        var s = ScriptedServer.Connected(4, 2, chunk: chunk);
        s.Send(HexVectors.Load("framebuffer_update_raw"));
        var fb = s.Client.Framebuffer!;
        Assert.Equal(0x00FF0000u, fb.At(0, 0));
        Assert.Equal(0x000000FFu, fb.At(1, 0));
        Assert.Equal(new Rect(0, 0, 2, 1), Assert.Single(s.Sink.Damage));
        Assert.Single(s.Events.OfType<RfbUpdateCompleted>());

        s.Send(HexVectors.Load("framebuffer_update_copyrect"));
        Assert.Equal(0x00FF0000u, fb.At(1, 0));
        Assert.Equal((new Rect(0, 0, 1, 1), 1, 0), Assert.Single(s.Sink.Copies));
        Assert.Equal(2, s.Events.OfType<RfbUpdateCompleted>().Count());
    }

    [Fact]
    public void LargeRawRectangleInRandomChunksGrowsAndCompactsTheInputBuffer()
    {
        const int w = 300, h = 200;
        var s = ScriptedServer.Connected(w, h);
        var header = new RectangleHeader(0, 0, w, h, RfbEncodingType.Raw);
        var pixels = new byte[w * h * 4];
        for (var i = 0; i < w * h; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(pixels.AsSpan(i * 4), (uint)(i * 2654435761u) & 0x00FFFFFF);
        }
        byte[] stream = [0, 0, 0, 1, .. Wire.Encode(RectangleHeader.Length, header.Encode), .. pixels, .. HexVectors.Load("bell")];
        var random = new Random(42);
        for (var i = 0; i < stream.Length;)
        {
            var n = Math.Min(stream.Length - i, random.Next(1, 40_000));
            s.Send(stream.AsSpan(i, n));
            i += n;
        }
        Assert.Single(s.Events.OfType<RfbUpdateCompleted>());
        Assert.Single(s.Events.OfType<RfbBell>());
        var fb = s.Client.Framebuffer!;
        for (var i = 0; i < w * h; i += 997)
        {
            Assert.Equal((uint)(i * 2654435761u) & 0x00FFFFFF, fb.At(i % w, i / w));
        }
    }

    [Fact]
    public void UpdateCompletesOnlyAfterItsLastRectangle()
    {
        var s = ScriptedServer.Connected(4, 2);
        var raw = HexVectors.Load("framebuffer_update_raw");
        var copy = HexVectors.Load("framebuffer_update_copyrect");
        byte[] both = [0, 0, 0, 2, .. raw[4..], .. copy[4..]];
        s.Send(both.AsSpan(0, both.Length - 1));
        Assert.Empty(s.Events); // truncated: the engine simply waits
        s.Send(both.AsSpan(both.Length - 1));
        Assert.Single(s.Events.OfType<RfbUpdateCompleted>());
        Assert.Equal(0x00FF0000u, s.Client.Framebuffer!.At(1, 0));
    }

    [Fact]
    public void LastRectEndsAnUpdateOfUnknownLength()
    {
        var s = ScriptedServer.Connected(4, 2);
        var raw = HexVectors.Load("framebuffer_update_raw");
        s.Send([0, 0, 0xFF, 0xFF, .. raw[4..], .. HexVectors.Hex("0000 0000 0000 0000 ffffff20")]);
        Assert.Single(s.Events.OfType<RfbUpdateCompleted>());
        s.Send(HexVectors.Load("bell"));
        Assert.Single(s.Events.OfType<RfbBell>());
    }

    [Fact]
    public void EmptyUpdateCompletes()
    {
        var s = ScriptedServer.Connected();
        s.Send("00 00 0000");
        Assert.Single(s.Events.OfType<RfbUpdateCompleted>());
    }

    [Fact]
    public void RectangleOutsideTheFramebufferIsMalformed()
    {
        var s = ScriptedServer.Connected(4, 2);
        var ex = Assert.Throws<DecodeException>(() => s.Send("00 00 0001  0003 0000 0002 0001 00000000"));
        Assert.Contains("outside the framebuffer", ex.Why, StringComparison.Ordinal);
        Assert.Equal(RfbPhase.Closed, s.Client.Phase);
    }

    [Fact]
    public void UnknownEncodingIsMalformed()
    {
        var s = ScriptedServer.Connected();
        var ex = Assert.Throws<DecodeException>(() => s.Send("00 00 0001  0000 0000 0001 0001 7fff1234"));
        Assert.Contains("encoding", ex.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownMessageTypeIsMalformed()
    {
        var s = ScriptedServer.Connected();
        var ex = Assert.Throws<DecodeException>(() => s.Send("42"));
        Assert.Contains("unknown message type 66", ex.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void HugeServerCutTextIsRefusedFromItsHeader()
    {
        var s = ScriptedServer.Connected(options: new RfbClientOptions { MaxClipboardBytes = 1000 });
        Assert.Throws<DecodeException>(() => s.Send("03 000000 000003e9")); // 1001 > 1000, only 8 bytes sent
    }

    [Fact]
    public void ServerCutTextAndBell()
    {
        var s = ScriptedServer.Connected();
        s.Send([.. HexVectors.Load("server_cut_text"), .. HexVectors.Load("bell")]);
        Assert.Equal(new RfbClipboardText("hello"), s.Events[0]);
        Assert.Same(RfbBell.Instance, s.Events[1]);
    }

    [Fact]
    public void SetColourMapEntriesIsConsumed()
    {
        var s = ScriptedServer.Connected();
        s.Send([.. HexVectors.Load("set_colour_map_entries"), .. HexVectors.Load("bell")]);
        Assert.Single(s.Events.OfType<RfbBell>());
    }

    [Fact]
    public void SetColourMapEntriesPastTheMapIsMalformed()
    {
        var s = ScriptedServer.Connected();
        var ex = Assert.Throws<DecodeException>(() => s.Send(HexVectors.Load("set_colour_map_entries_out_of_range")));
        Assert.Contains("exceeds the colour map of 256 entries", ex.Message, StringComparison.Ordinal);
        Assert.Equal(RfbPhase.Closed, s.Client.Phase);
    }

    [Fact]
    public void SetColourMapEntriesPastTheMapIsRefusedFromItsHeader()
    {
        // first-colour 0, number-of-colours 65535: refused on the 6 header bytes, before 393 KB of colours arrive.
        var s = ScriptedServer.Connected();
        Assert.Throws<DecodeException>(() => s.Send("01 00 0000 ffff"));
    }

    [Fact]
    public void SetColourMapEntriesFillingTheMapToItsLastEntryIsAccepted()
    {
        var s = ScriptedServer.Connected();
        s.Send([.. HexVectors.Hex("01 00 00fe 0002 ffff 0000 0000 0000 8000 ffff"), .. HexVectors.Load("bell")]);
        Assert.Single(s.Events.OfType<RfbBell>());
    }

    [Fact]
    public void CursorShape()
    {
        var s = ScriptedServer.Connected();
        s.Send([0, 0, 0, 1, .. HexVectors.Load("cursor_rect")]);
        var cursor = s.Single<RfbCursorShape>();
        Assert.Equal((1, 0, 2, 1), (cursor.HotX, cursor.HotY, cursor.Width, cursor.Height));
        Assert.Equal(new byte[] { 0xff, 0, 0, 0xff, 0, 0xff, 0, 0 }, cursor.Rgba);
        Assert.Single(s.Events.OfType<RfbUpdateCompleted>());
    }

    [Fact]
    public void OversizedCursorIsMalformed()
    {
        var s = ScriptedServer.Connected();
        Assert.Throws<DecodeException>(() => s.Send("00 00 0001 0000 0000 ffff ffff ffffff11"));
    }

    [Fact]
    public void DesktopSizeResizes()
    {
        var s = ScriptedServer.Connected(4, 2);
        s.Send("00 00 0001  0000 0000 0008 0004 ffffff21");
        Assert.Equal(new RfbFramebufferResized(8, 4), s.Single<RfbFramebufferResized>());
        Assert.Equal(8, s.Client.Framebuffer!.Width);
        Assert.Throws<DecodeException>(() => s.Send("00 00 0001  0000 0000 0000 0004 ffffff21"));
    }

    [Fact]
    public void ExtendedDesktopSizeEnablesSetDesktopSizeAndReportsRefusal()
    {
        var s = ScriptedServer.Connected(4, 2);
        Assert.Equal(RfbDesktopSizeSupport.Unknown, s.Client.DesktopSizeSupport);
        Assert.Equal(RfbDesktopSizeRequest.Deferred, s.Client.RequestDesktopSize(1024, 768));
        s.ExpectClient("");

        // The server's own resize to 1024x768 makes the deferred wish moot: nothing is sent.
        s.Send([0, 0, 0, 1, .. HexVectors.Load("extended_desktop_size_rect")]);
        Assert.Equal(new RfbFramebufferResized(1024, 768), s.Single<RfbFramebufferResized>());
        Assert.Equal(RfbDesktopSizeSupport.Supported, s.Client.DesktopSizeSupport);
        Assert.Null(s.Client.DeferredDesktopSize);
        s.ExpectClient("");

        Assert.Equal(RfbDesktopSizeRequest.Sent, s.Client.RequestDesktopSize(1024, 768));
        s.ExpectClient(HexVectors.Load("set_desktop_size"));
        Assert.Equal(RfbDesktopSizeRequest.InvalidSize, s.Client.RequestDesktopSize(0, 768));

        // Reason 1 (our request), status 3 (invalid layout): no resize, a refusal event.
        s.Events.Clear();
        s.Send("00 00 0001  0001 0003 0000 0000 fffffecc  00 000000");
        Assert.Equal(new RfbDesktopSizeRefused(3), s.Single<RfbDesktopSizeRefused>());
        Assert.Empty(s.Events.OfType<RfbFramebufferResized>());
        Assert.Equal(1024, s.Client.Framebuffer!.Width);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(int.MaxValue)]
    public void ASizeAskedForBeforeTheFirstUpdateIsSentOnceTheUpdateShowsResizeSupport(int chunk)
    {
        // The browser's size arrives as the session opens, before the server has said whether it can resize.
        var s = ScriptedServer.Connected(4, 2, chunk: chunk);
        Assert.Equal(RfbDesktopSizeRequest.Deferred, s.Client.RequestDesktopSize(640, 480));
        Assert.Equal(RfbDesktopSizeRequest.Deferred, s.Client.RequestDesktopSize(1024, 768)); // the latest wish wins
        Assert.Equal((1024, 768), s.Client.DeferredDesktopSize);
        s.ExpectClient("");

        // First update, answering the engine's non-incremental request: ExtendedDesktopSize (reason 0, the
        // server's current layout: 4x2, one screen with id 7), then a 1x1 raw rectangle. Nothing is sent
        // before the update completes.
        byte[] update = HexVectors.Hex(
            "00 00 0002" +
            "0000 0000 0004 0002 fffffecc  01 000000  00000007 0000 0000 0004 0002 00000000" +
            "0000 0000 0001 0001 00000000  000000ff");
        s.Send(update.AsSpan(0, update.Length - 1));
        Assert.Equal(RfbDesktopSizeSupport.Supported, s.Client.DesktopSizeSupport);
        s.ExpectClient("");
        s.Send(update.AsSpan(update.Length - 1));
        Assert.Single(s.Events.OfType<RfbUpdateCompleted>());

        // SetDesktopSize 1024x768 keeping the server's screen id 7 (hand-built from rfbproto).
        s.ExpectClient("fb 00 0400 0300 01 00 00000007 0000 0000 0400 0300 00000000");
        Assert.Null(s.Client.DeferredDesktopSize);
        Assert.Empty(s.Events.OfType<RfbDesktopSizeUnsupported>());

        // The server's answer: ExtendedDesktopSize reason 1 (our request), status 0, the new size.
        s.Send("00 00 0001  0001 0000 0400 0300 fffffecc  01 000000  00000007 0000 0000 0400 0300 00000000");
        Assert.Equal(new RfbFramebufferResized(1024, 768), s.Single<RfbFramebufferResized>());
    }

    [Fact]
    public void AWithdrawnDeferredSizeIsNeverSent()
    {
        // The user turned "Resize remote" off before the server's first update settled the wish.
        var s = ScriptedServer.Connected(4, 2);
        Assert.Equal(RfbDesktopSizeRequest.Deferred, s.Client.RequestDesktopSize(1024, 768));
        s.Client.WithdrawDesktopSize();
        Assert.Null(s.Client.DeferredDesktopSize);

        // The same first update as above (ExtendedDesktopSize: the server can resize), and nothing is sent.
        s.Send(
            "00 00 0002" +
            "0000 0000 0004 0002 fffffecc  01 000000  00000007 0000 0000 0004 0002 00000000" +
            "0000 0000 0001 0001 00000000  000000ff");
        Assert.Single(s.Events.OfType<RfbUpdateCompleted>());
        Assert.Equal(RfbDesktopSizeSupport.Supported, s.Client.DesktopSizeSupport);
        s.ExpectClient("");
        Assert.Empty(s.Events.OfType<RfbDesktopSizeUnsupported>());
        Assert.Equal(4, s.Client.Framebuffer!.Width);
    }

    [Fact]
    public void ASizeAskedForBeforeTheFirstUpdateIsReportedOnceWhenTheServerCannotResize()
    {
        var s = ScriptedServer.Connected(4, 2);
        Assert.Equal(RfbDesktopSizeRequest.Deferred, s.Client.RequestDesktopSize(1024, 768));

        // The first update carries no ExtendedDesktopSize: this server cannot be resized.
        s.Send(HexVectors.Load("framebuffer_update_raw"));
        Assert.Equal(RfbDesktopSizeSupport.Unsupported, s.Client.DesktopSizeSupport);
        Assert.IsType<RfbUpdateCompleted>(s.Events[0]);
        Assert.Equal(new RfbDesktopSizeUnsupported(1024, 768), s.Single<RfbDesktopSizeUnsupported>());
        Assert.Null(s.Client.DeferredDesktopSize);
        s.ExpectClient("");

        // Later wishes are refused at once, and later updates report nothing more.
        Assert.Equal(RfbDesktopSizeRequest.NotSupported, s.Client.RequestDesktopSize(800, 600));
        s.Send(HexVectors.Load("framebuffer_update_raw"));
        Assert.Single(s.Events.OfType<RfbDesktopSizeUnsupported>());
        s.ExpectClient("");
    }

    [Fact]
    public void ASizeEqualToTheFramebufferAfterTheFirstUpdateIsNeitherSentNorReported()
    {
        var s = ScriptedServer.Connected(4, 2);
        Assert.Equal(RfbDesktopSizeRequest.Deferred, s.Client.RequestDesktopSize(4, 2));
        s.Send(HexVectors.Load("framebuffer_update_raw"));
        Assert.Empty(s.Events.OfType<RfbDesktopSizeUnsupported>());
        s.ExpectClient("");
    }

    [Fact]
    public void DesktopNamePseudoEncoding()
    {
        var s = ScriptedServer.Connected();
        s.Send("00 00 0001  0000 0000 0000 0000 fffffecd  00000003 4e 65 77");
        Assert.Equal(new RfbDesktopNameChanged("New"), s.Single<RfbDesktopNameChanged>());
        Assert.Equal("New", s.Client.DesktopName);
    }

    [Fact]
    public void InputMessages()
    {
        var s = ScriptedServer.Connected(800, 600);
        s.Client.SendKey(0xff0d, true);
        s.ExpectClient(HexVectors.Load("key_event"));
        s.Client.SendPointer(100, 200, 1);
        s.ExpectClient(HexVectors.Load("pointer_event"));
        s.Client.SendPointer(-5, 9000, 0);
        s.ExpectClient("05 00 0000 0257"); // clamped to 0, 599
        s.Client.RequestUpdate(true);
        s.ExpectClient(HexVectors.Load("framebuffer_update_request"));
    }

    [Fact]
    public void PartialUpdateRequestIsClippedToTheFramebuffer()
    {
        var s = ScriptedServer.Connected();
        s.Client.RequestUpdate(false, new Rect(0, 0, 1, 1)); // the gateway's liveness probe
        s.ExpectClient("03 00 0000 0000 0001 0001");
        s.Client.RequestUpdate(true, new Rect(-4, 9000, 0, 50));
        s.ExpectClient("03 01 0000 0001 0001 0001"); // 4x2 screen: x 0, y 1, at least 1x1, no further than the edge
        s.Client.RequestUpdate(false, new Rect(2, 0, 100, 100));
        s.ExpectClient("03 00 0002 0000 0002 0002");
    }

    [Fact]
    public void ClipboardWithoutExtendedClipboardIsLatin1()
    {
        var s = ScriptedServer.Connected();
        s.Client.SendClipboard("Héll€");
        s.ExpectClient(HexVectors.Load("client_cut_text"));
    }

    [Fact]
    public void ExtendedClipboardExchange()
    {
        var s = ScriptedServer.Connected();
        // Server caps: text (max 1000) + rtf (max 0), actions request|peek|notify|provide.
        s.Send("03 000000 fffffff4 1f000003 000003e8 00000000");
        s.ExpectClient(HexVectors.Load("client_cut_text_extended_caps"));

        // Small enough for the server's limit: an unsolicited provide.
        s.Client.SendClipboard("a\nü");
        var sent = DecodeClientCutText(s.Take());
        Assert.Equal(ExtendedClipboardFlags.Provide | ExtendedClipboardFlags.Text, sent.Extended!.Flags);
        Assert.Equal("a\nü", sent.Extended.ReadProvidedText(100));

        // Too big for the server's limit: notify, then provide on request.
        var big = new string('x', 2000);
        s.Client.SendClipboard(big);
        s.ExpectClient("06 000000 fffffffc 08000001");
        s.Send("03 000000 fffffffc 02000001");
        Assert.Equal(big, DecodeClientCutText(s.Take()).Extended!.ReadProvidedText(10000));

        // The server announces text: we ask for it, it provides, we report it.
        s.Send("03 000000 fffffffc 08000001");
        s.ExpectClient("06 000000 fffffffc 02000001");
        s.Send(HexVectors.Load("server_cut_text_extended_provide"));
        Assert.Equal(new RfbClipboardText("hi\nyo"), s.Single<RfbClipboardText>());

        // Peek: we say what we have.
        s.Send("03 000000 fffffffc 04000000");
        s.ExpectClient("06 000000 fffffffc 08000001");
    }

    [Fact]
    public void ExtendedClipboardBombIsRefused()
    {
        var s = ScriptedServer.Connected(options: new RfbClientOptions { MaxClipboardBytes = 100 });
        var provide = ExtendedClipboardMessage.CreateTextProvide(new string('z', 5000));
        var message = new ServerCutTextMessage(null, provide);
        Assert.Throws<DecodeException>(() => s.Send(Wire.Encode(message.Size, message.Encode)));
    }

    private static ClientCutTextMessage DecodeClientCutText(byte[] bytes)
    {
        var r = new SpanReader(bytes);
        var m = ClientCutTextMessage.Decode(ref r, 1 << 20);
        r.EnsureEnd();
        return m;
    }
}
