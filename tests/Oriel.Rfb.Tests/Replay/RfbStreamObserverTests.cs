using Oriel.Graphics;
using Oriel.Graphics.TurboJpeg;
using Oriel.Rfb.Encodings;
using Oriel.Rfb.Messages;
using Oriel.Rfb.Replay;
using Oriel.Wire;

namespace Oriel.Rfb.Tests.Replay;

public class RfbStreamObserverTests
{
    private static uint Pattern(int x, int y) => (uint)((x * 37) ^ (y * 91) ^ (x * y * 13)) * 0x010203u & 0x00FFFFFF;

    private static uint Pattern2(int x, int y) => ~Pattern(y, x) & 0x00FFFFFF;

    /// <summary>A session with Raw, CopyRect, a resize and the extras noVNC and TigerVNC exchange.</summary>
    private static SyntheticSession FullSession()
    {
        var s = SyntheticSession.Connected(8, 4, SyntheticSession.Rgb565BigEndian, PixelFormat.Rgb888);
        s.Update(s.Raw(0, 0, 8, 4, Pattern));
        s.Client(new PointerEventMessage(1, 3, 2));
        s.Client(new KeyEventMessage(true, 0x61));
        s.Client(new FramebufferUpdateRequestMessage(true, 0, 0, 8, 4));
        s.Update(s.CopyRect(0, 0, 4, 1, 3, 2), s.Raw(1, 3, 2, 1, Pattern2));
        s.Server(Wire.Encode(BellMessage.Length, new BellMessage().Encode));
        s.Server(Wire.Encode(8 + 5, new ServerCutTextMessage("hello"u8.ToArray(), null).Encode));
        s.Client(ClientCutTextMessage.FromString("from viewer"));
        // TigerVNC answers noVNC's extensions: fence, continuous updates, QEMU key events, LED state.
        s.Server(HexVectors.Hex("f8 000000 80000003 02 abcd"));
        s.Client(HexVectors.Hex("f8 000000 00000003 02 abcd"));
        s.Server(HexVectors.Hex("96"));
        s.Client(HexVectors.Hex("96 01 0000 0000 0008 0004"));
        s.Update(SyntheticSession.Pseudo(-258), SyntheticSession.Pseudo(-261, 0x04), SyntheticSession.Pseudo(-316));
        s.Client(HexVectors.Hex("ff 00 0001 00000061 0000001e"));
        s.Client(HexVectors.Hex("05 81 0003 0002 01")); // extended pointer event: marker bit, then the high mask byte
        s.Client(new SetDesktopSizeMessage(12, 6, [new DesktopScreen(1, 0, 0, 12, 6, 0)]));
        s.Update(s.ExtendedDesktopSize(12, 6));
        s.Update(s.Raw(8, 0, 4, 6, Pattern2), s.Raw(0, 4, 8, 2, Pattern), s.CopyRect(8, 0, 0, 0, 2, 2));
        s.Update(s.DesktopSize(10, 5), s.CopyRect(2, 1, 5, 1, 5, 4));
        return s;
    }

    private static void AssertScreen(SyntheticSession s, Framebuffer? fb)
    {
        Assert.NotNull(fb);
        Assert.Equal(s.Width, fb.Width);
        Assert.Equal(s.Height, fb.Height);
        Assert.Equal(s.Screen, fb.Pixels.ToArray());
    }

    [Fact]
    public void ReplaysAWholeSessionToTheLastScreen()
    {
        var s = FullSession();
        var sink = new RecordingSink();
        var o = s.Replay(sink: sink);
        Assert.Equal(RfbPhase.Normal, o.Phase);
        AssertScreen(s, o.Framebuffer);
        Assert.Equal(ProtocolVersionMessage.V38, o.Version);
        Assert.Equal(RfbSecurityType.VncAuthentication, o.SecurityType);
        Assert.True(o.Shared);
        Assert.Equal(SyntheticSession.Rgb565BigEndian, o.ServerPixelFormat);
        Assert.Equal(PixelFormat.Rgb888, o.PixelFormat);
        Assert.Equal(RfbClient.DefaultEncodings(), o.Encodings);
        Assert.Equal("synthetic desktop", o.DesktopName);
        Assert.Equal(6, o.UpdatesCompleted);
        Assert.True(o.IsAtUpdateBoundary);
        Assert.Equal(s.Stream(RfbStreamDirection.ServerToClient).Length, o.ServerBytesProcessed);
        Assert.Equal(s.Stream(RfbStreamDirection.ClientToServer).Length, o.ClientBytesProcessed);
        Assert.NotEmpty(sink.Copies);

        var events = new List<RfbEvent>();
        while (o.TryDequeueEvent(out var ev)) events.Add(ev);
        Assert.IsType<RfbConnected>(events[0]);
        Assert.Single(events.OfType<RfbBell>());
        Assert.Equal("hello", Assert.Single(events.OfType<RfbClipboardText>()).Text);
        Assert.Equal([new RfbFramebufferResized(12, 6), new RfbFramebufferResized(10, 5)], events.OfType<RfbFramebufferResized>());
        Assert.Equal(6, events.OfType<RfbUpdateCompleted>().Count());
    }

    [Fact]
    public void RandomChunkingGivesTheSameScreen()
    {
        var s = FullSession();
        for (var seed = 0; seed < 30; seed++)
        {
            var o = s.Replay(new Random(seed));
            AssertScreen(s, o.Framebuffer);
            Assert.Equal(6, o.UpdatesCompleted);
        }
    }

    [Fact]
    public void SetPixelFormatDuringAnUpdateWaitsForTheNextOne()
    {
        var s = SyntheticSession.Connected(6, 3, SyntheticSession.Rgb565BigEndian, clientFormat: null);
        s.Update(s.Raw(0, 0, 6, 3, Pattern)); // in RGB565, already on its way
        var inFlight = s.Chunks[^1].Bytes;
        s.Chunks.RemoveAt(s.Chunks.Count - 1);
        s.Server(inFlight[..20]);
        s.SetPixelFormat(PixelFormat.Rgb888); // the viewer changes format while the update is half received
        s.Server(inFlight[20..]);
        s.Update(s.Raw(0, 0, 3, 3, Pattern2)); // the server's next update uses the new format
        var o = s.Replay();
        AssertScreen(s, o.Framebuffer);
        Assert.Equal(2, o.UpdatesCompleted);
    }

    [Fact]
    public void WithoutSetPixelFormatTheServersNaturalFormatIsUsed()
    {
        var s = SyntheticSession.Connected(6, 3, SyntheticSession.Rgb565BigEndian, clientFormat: null);
        s.Update(s.Raw(0, 0, 6, 3, Pattern));
        var o = s.Replay();
        Assert.Equal(SyntheticSession.Rgb565BigEndian, o.PixelFormat);
        AssertScreen(s, o.Framebuffer);
        Assert.NotEqual(Pattern(1, 1), o.Framebuffer!.At(1, 1)); // 565 loses bits: the format really was applied
    }

    [Fact]
    public void SetPixelFormatMidSessionAppliesToTheNextUpdate()
    {
        var s = SyntheticSession.Connected(6, 3, SyntheticSession.Rgb565BigEndian, clientFormat: null);
        s.Update(s.Raw(0, 0, 6, 3, Pattern));
        s.SetPixelFormat(PixelFormat.Rgb888);
        s.Update(s.Raw(0, 1, 6, 1, Pattern2));
        var bgr233 = new PixelFormat(8, 8, false, true, 7, 7, 3, 0, 3, 6);
        s.SetPixelFormat(bgr233);
        s.Update(s.Raw(2, 0, 3, 3, Pattern));
        for (var seed = 0; seed < 10; seed++)
        {
            var o = s.Replay(new Random(seed));
            AssertScreen(s, o.Framebuffer);
            Assert.Equal(bgr233, o.PixelFormat);
        }
    }

    [Fact]
    public void ProtocolVersion33WithNoAuthentication()
    {
        var s = new SyntheticSession(4, 2, PixelFormat.Rgb888);
        s.Server(ProtocolVersionMessage.V38);
        s.Client(ProtocolVersionMessage.V33);
        s.Server(HexVectors.Hex("00000001"));
        s.Client(new ClientInitMessage(false));
        var init = new ServerInitMessage(4, 2, PixelFormat.Rgb888, "old");
        s.Server(Wire.Encode(init.Size, init.Encode));
        s.Update(s.Raw(0, 0, 4, 2, Pattern));
        var o = s.Replay(new Random(1));
        Assert.Equal(ProtocolVersionMessage.V33, o.Version);
        Assert.Equal(RfbSecurityType.None, o.SecurityType);
        Assert.False(o.Shared);
        AssertScreen(s, o.Framebuffer);
    }

    [Fact]
    public void ProtocolVersion37WithNoneHasNoSecurityResult()
    {
        var s = new SyntheticSession(4, 2, PixelFormat.Rgb888);
        s.Server(ProtocolVersionMessage.V37);
        s.Client(ProtocolVersionMessage.V37);
        s.Server(HexVectors.Hex("01 01"));
        s.Client(new SecurityTypeSelectionMessage(RfbSecurityType.None));
        s.Client(new ClientInitMessage(true));
        var init = new ServerInitMessage(4, 2, PixelFormat.Rgb888, "seven");
        s.Server(Wire.Encode(init.Size, init.Encode));
        s.Update(s.Raw(0, 0, 4, 2, Pattern2));
        var o = s.Replay();
        AssertScreen(s, o.Framebuffer);
    }

    [Fact]
    public void VeNCryptCannotBeReplayed()
    {
        var o = new RfbStreamObserver();
        o.Observe(RfbStreamDirection.ServerToClient, SyntheticSession.Ascii("RFB 003.008\n"));
        o.Observe(RfbStreamDirection.ClientToServer, SyntheticSession.Ascii("RFB 003.008\n"));
        o.Observe(RfbStreamDirection.ServerToClient, HexVectors.Hex("02 13 02"));
        var ex = Assert.Throws<RfbReplayUnsupportedException>(() => o.Observe(RfbStreamDirection.ClientToServer, [19]));
        Assert.Contains("VeNCrypt", ex.Message);
        Assert.Contains("TLS", ex.Message);
        Assert.Equal(RfbPhase.Closed, o.Phase);
        Assert.Throws<InvalidOperationException>(() => o.Observe(RfbStreamDirection.ServerToClient, [0]));
    }

    [Fact]
    public void ARecordedAuthenticationFailureEndsQuietly()
    {
        var o = new RfbStreamObserver();
        o.Observe(RfbStreamDirection.ServerToClient, SyntheticSession.Ascii("RFB 003.008\n"));
        o.Observe(RfbStreamDirection.ClientToServer, SyntheticSession.Ascii("RFB 003.008\n"));
        o.Observe(RfbStreamDirection.ServerToClient, HexVectors.Hex("01 02"));
        o.Observe(RfbStreamDirection.ClientToServer, [2]);
        o.Observe(RfbStreamDirection.ServerToClient, new byte[16]);
        o.Observe(RfbStreamDirection.ClientToServer, new byte[16]);
        o.Observe(RfbStreamDirection.ServerToClient, [.. HexVectors.Hex("00000001 00000005"), .. "nope!"u8]);
        Assert.Equal(RfbPhase.Closed, o.Phase);
        Assert.Equal("nope!", o.FailureReason);
        Assert.Null(o.Framebuffer);
        o.Observe(RfbStreamDirection.ClientToServer, [1, 2, 3]); // ignored
    }

    [Fact]
    public void MalformedBytesGiveADecodeExceptionWithTheStreamOffset()
    {
        var s = SyntheticSession.Connected(4, 2, PixelFormat.Rgb888, PixelFormat.Rgb888);
        var o = s.Replay();
        var before = o.ServerBytesProcessed;
        var ex = Assert.Throws<DecodeException>(() => o.Observe(RfbStreamDirection.ServerToClient, [0x77]));
        Assert.Contains("unknown message type 119", ex.Why);
        Assert.Contains("server-to-client", ex.Why);
        Assert.Equal(before, ex.Offset);
        Assert.Equal(RfbPhase.Closed, o.Phase);
    }

    [Fact]
    public void UnknownClientMessagesAreRefused()
    {
        var s = SyntheticSession.Connected(4, 2, PixelFormat.Rgb888, PixelFormat.Rgb888);
        var o = s.Replay();
        var ex = Assert.Throws<DecodeException>(() => o.Observe(RfbStreamDirection.ClientToServer, [0x07, 0, 0, 0]));
        Assert.Contains("client-to-server", ex.Why);
    }

    [Fact]
    public void KeyframesCanBeTakenAtUpdateBoundaries()
    {
        var s = FullSession();
        var o = new RfbStreamObserver();
        var boundaries = 0;
        foreach (var (direction, bytes) in s.Chunks)
        {
            o.Observe(direction, bytes);
            if (o.Phase == RfbPhase.Normal && o.IsAtUpdateBoundary) boundaries++;
        }
        Assert.True(boundaries > 6);
        AssertScreen(s, o.Framebuffer);
    }

    /// <summary>Random and mutated sessions: a screen, or DecodeException / RfbReplayUnsupportedException, nothing else.</summary>
    [Fact]
    public void FuzzMutatedSessions()
    {
        var s = FullSession();
        var random = new Random(77);
        using var jpeg = TurboJpegLibrary.CreateCodec(); // as the gateway gives it: JPEG rectangles reach the codec's checks
        for (var iteration = 0; iteration < 1500; iteration++)
        {
            var o = new RfbStreamObserver(options: new RfbStreamObserverOptions { MaxClipboardBytes = 4096, QueueEvents = false, Jpeg = jpeg });
            try
            {
                foreach (var (direction, original) in s.Chunks)
                {
                    var bytes = (byte[])original.Clone();
                    if (random.Next(4) == 0)
                    {
                        var at = random.Next(bytes.Length);
                        bytes[at] = random.Next(3) == 0 ? (byte)0xFF : (byte)random.Next(256);
                    }
                    o.Observe(direction, bytes);
                }
            }
            catch (DecodeException)
            {
            }
            catch (RfbReplayUnsupportedException)
            {
            }
        }
    }

    [Fact]
    public void FuzzRandomBytesAfterServerInit()
    {
        var random = new Random(78);
        using var jpeg = TurboJpegLibrary.CreateCodec();
        for (var iteration = 0; iteration < 1500; iteration++)
        {
            var s = SyntheticSession.Connected(16, 8, PixelFormat.Rgb888, null);
            var o = new RfbStreamObserver(options: new RfbStreamObserverOptions { MaxClipboardBytes = 4096, Jpeg = jpeg });
            try
            {
                foreach (var (direction, bytes) in s.Chunks) o.Observe(direction, bytes);
                var noise = new byte[random.Next(1, 300)];
                random.NextBytes(noise);
                o.Observe(random.Next(2) == 0 ? RfbStreamDirection.ServerToClient : RfbStreamDirection.ClientToServer, noise);
            }
            catch (DecodeException)
            {
            }
        }
    }
}
