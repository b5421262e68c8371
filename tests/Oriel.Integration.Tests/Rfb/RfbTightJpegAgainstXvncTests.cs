using Oriel.Graphics.TurboJpeg;
using Oriel.Integration.Tests.Peers;
using Oriel.Rfb;
using Oriel.Rfb.Encodings;
using Oriel.Rfb.Passthrough;
using Oriel.TestPeers;

namespace Oriel.Integration.Tests.Rfb;

/// <summary>
/// The engine asks a real TigerVNC Xvnc for JPEG (quality level 8) and decodes Tight JpegCompression
/// rectangles with libjpeg-turbo: the framebuffer must come out close to, not equal to, the screen.
/// </summary>
public sealed class RfbTightJpegAgainstXvncTests
{
    private const int Width = 640;
    private const int Height = 400;
    private static readonly (int X, int Y, int W, int H) Photo = (120, 60, 400, 300);

    [Fact(Timeout = 120_000)]
    public async Task A_photo_like_screen_arrives_as_tight_jpeg_close_to_the_screen()
    {
        Assert.True(TurboJpegLibrary.IsAvailable, TurboJpegLibrary.MissingLibraryMessage);
        using var jpeg = TurboJpegLibrary.CreateCodec();
        await using var server = await XvncServer.StartAsync(new XvncOptions { Width = Width, Height = Height, Security = [XvncSecurity.None] });
        await server.RunXCommandAsync("xsetroot", "-solid", "#305070");
        var image = Path.Combine(server.WorkDirectory, "photo.xwd");
        await File.WriteAllBytesAsync(image, PhotoXwd(Photo.W, Photo.H));
        await server.RunXClientAsync("xwud", "-in", image, "-noclick", "-geometry", $"+{Photo.X}+{Photo.Y}");
        await WaitForPhotoAsync(server);

        var before = TightDecoder.JpegRectanglesDecoded;
        await using var session = await RfbTestSession.ConnectAsync(server.Port,
            new RfbClientOptions { Security = RfbSecurityPolicy.NoAuthentication, JpegQuality = 8, Jpeg = jpeg });
        session.Client.SendPointer(Width - 1, Height - 1, 0); // keep the rendered cursor off the picture (see ScreenAssert)
        await session.FlushAsync();
        await session.SettleAsync(TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(30));

        Assert.True(TightDecoder.JpegRectanglesDecoded > before, "Xvnc sent no Tight JPEG rectangle");
        var screen = await server.CaptureScreenAsync();
        var fb = session.Client.Framebuffer!;
        Assert.Equal((screen.Width, screen.Height), (fb.Width, fb.Height));
        var whole = MeanAbsoluteError(screen, fb.Pixels, (0, 0, Width, Height));
        var photo = MeanAbsoluteError(screen, fb.Pixels, Photo);
        Assert.True(whole < 1.5 && photo < 3.0, $"mean absolute error per channel: whole screen {whole:0.00}, picture {photo:0.00}");
    }

    /// <summary>
    /// What the passthrough filter forwards of a viewer's list with JPEG quality 6 (as noVNC sends): an ordinary
    /// target gets Tight JPEG from Xvnc; a target made lossless (<c>--passthrough-lossless</c>) gets none, and
    /// the picture arrives pixel for pixel.
    /// </summary>
    [Theory(Timeout = 120_000)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Through_the_passthrough_filter_quality_6_brings_jpeg_unless_the_target_is_lossless(bool lossless)
    {
        Assert.True(TurboJpegLibrary.IsAvailable, TurboJpegLibrary.MissingLibraryMessage);
        using var jpeg = TurboJpegLibrary.CreateCodec();
        await using var server = await XvncServer.StartAsync(new XvncOptions { Width = Width, Height = Height, Security = [XvncSecurity.None] });
        await server.RunXCommandAsync("xsetroot", "-solid", "#305070");
        var image = Path.Combine(server.WorkDirectory, "photo.xwd");
        await File.WriteAllBytesAsync(image, PhotoXwd(Photo.W, Photo.H));
        await server.RunXClientAsync("xwud", "-in", image, "-noclick", "-geometry", $"+{Photo.X}+{Photo.Y}");
        await WaitForPhotoAsync(server);

        // Tight, ZRLE, Hextile, CopyRect, Raw, quality level 6, compression level 2, DesktopSize, LastRect, Cursor.
        int[] viewer = [7, 16, 5, 1, 0, -26, -254, -223, -224, -239];
        var filter = new RfbClientStreamFilter(lossless: lossless);
        var before = TightDecoder.JpegRectanglesDecoded;
        await using var session = await RfbTestSession.ConnectAsync(server.Port,
            new RfbClientOptions { Security = RfbSecurityPolicy.NoAuthentication, Encodings = [.. viewer.Where(filter.Forwards)], Jpeg = jpeg });
        if (lossless)
        {
            await ScreenAssert.FramebufferMatchesScreenAsync(server, session);
            Assert.Equal(before, TightDecoder.JpegRectanglesDecoded);
        }
        else
        {
            session.Client.SendPointer(Width - 1, Height - 1, 0);
            await session.FlushAsync();
            await session.SettleAsync(TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(30));
            Assert.True(TightDecoder.JpegRectanglesDecoded > before, "Xvnc sent no Tight JPEG rectangle for quality level 6");
        }
    }

    /// <summary>A 24-bit TrueColor XWD of a smooth colour field with a little noise: what JPEG is for.</summary>
    private static byte[] PhotoXwd(int width, int height)
    {
        var rng = new Random(8);
        var noise = new int[width * height];
        for (var i = 0; i < noise.Length; i++) noise[i] = rng.Next(-12, 13);
        return XwdBuilder.Build(width, height, 32, msbFirst: false, visualClass: 4, 0xFF0000, 0x00FF00, 0x0000FF, [], (x, y) =>
        {
            var n = noise[y * width + x];
            var r = Math.Clamp(128 + (int)(100 * Math.Sin(x / 37.0)) + n, 0, 255);
            var g = Math.Clamp(y * 255 / height + n, 0, 255);
            var b = Math.Clamp(128 + (int)(100 * Math.Cos((x + y) / 53.0)) - n, 0, 255);
            return (uint)(r << 16 | g << 8 | b);
        });
    }

    private static async Task WaitForPhotoAsync(XvncServer server)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var screen = await server.CaptureScreenAsync();
            var distinct = new HashSet<uint>();
            for (var y = Photo.Y; y < Photo.Y + Photo.H; y += 7)
                for (var x = Photo.X; x < Photo.X + Photo.W; x += 7)
                    distinct.Add(screen.At(x, y));
            if (distinct.Count > 1000) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"xwud did not show the picture ({distinct.Count} colours)");
            await Task.Delay(100);
        }
    }

    private static double MeanAbsoluteError(XImage screen, ReadOnlySpan<uint> engine, (int X, int Y, int W, int H) area)
    {
        long sum = 0;
        for (var y = area.Y; y < area.Y + area.H; y++)
        {
            for (var x = area.X; x < area.X + area.W; x++)
            {
                uint a = screen.At(x, y), b = engine[y * screen.Width + x];
                for (var s = 0; s < 24; s += 8) sum += Math.Abs((int)((a >> s) & 0xFF) - (int)((b >> s) & 0xFF));
            }
        }
        return sum / (3.0 * area.W * area.H);
    }
}
