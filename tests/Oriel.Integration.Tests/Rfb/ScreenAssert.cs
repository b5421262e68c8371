using Oriel.TestPeers;

namespace Oriel.Integration.Tests.Rfb;

/// <summary>Draws known content on an Xvnc screen and compares the engine's framebuffer with <c>xwd</c>'s view of it.</summary>
internal static class ScreenAssert
{
    /// <summary>A solid root window, an xterm with text and an xclock; waits until both windows are on the screen.</summary>
    public static async Task DrawSceneAsync(XvncServer server, string rootColour, uint rootRgb)
    {
        await server.RunXCommandAsync("xsetroot", "-solid", rootColour);
        await server.RunXClientAsync("xterm", "-geometry", "60x15+10+10", "-bg", "white", "-fg", "black",
            "-e", "sh", "-c", "ls -l /usr/bin | head -30; echo oriel; sleep 600");
        await server.RunXClientAsync("xclock", "-geometry", "150x150+420+40", "-bg", "yellow", "-fg", "blue");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var screen = await server.CaptureScreenAsync();
            var white = screen.Pixels.Count(p => p == 0xFFFFFF);
            var yellow = screen.Pixels.Count(p => p == 0xFFFF00);
            if (white > 10_000 && yellow > 5_000 && screen.Pixels.Count(p => p == rootRgb) > 10_000) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the X clients did not appear (white {white}, yellow {yellow})");
            await Task.Delay(100);
        }
    }

    private static string DifferenceBounds(XImage screen, ReadOnlySpan<uint> engine)
    {
        int x0 = int.MaxValue, y0 = int.MaxValue, x1 = -1, y1 = -1;
        for (var i = 0; i < engine.Length; i++)
        {
            if (screen.Pixels[i] == engine[i]) continue;
            int x = i % screen.Width, y = i / screen.Width;
            x0 = Math.Min(x0, x);
            y0 = Math.Min(y0, y);
            x1 = Math.Max(x1, x);
            y1 = Math.Max(y1, y);
        }
        return x1 < 0 ? "nothing" : $"x {x0}..{x1}, y {y0}..{y1}";
    }

    /// <summary>Settles the session and compares every pixel with the screen, retrying while the screen is still changing.</summary>
    public static async Task FramebufferMatchesScreenAsync(XvncServer server, RfbTestSession session, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        var attempts = 0;
        // Xvnc draws the cursor into the framebuffer while the pointer is somewhere this client did
        // not put it (TigerVNC's needRenderedCursor), and xwd never shows the cursor: so point first.
        var bounds = session.Client.Framebuffer!;
        session.Client.SendPointer(bounds.Width - 1, bounds.Height - 1, 0);
        await session.FlushAsync();
        while (true)
        {
            attempts++;
            await session.SettleAsync(TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(20));
            var screen = await server.CaptureScreenAsync();
            var fb = session.Client.Framebuffer!;
            Assert.Equal((screen.Width, screen.Height), (fb.Width, fb.Height));
            var differences = screen.CountDifferences(fb.Pixels, out var first);
            if (differences == 0) return;
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"{differences} pixels differ after {attempts} attempts, within {DifferenceBounds(screen, fb.Pixels)}; " +
                            $"first at ({first!.Value.X},{first.Value.Y}): screen {first.Value.Expected:X6}, engine {first.Value.Actual:X6}. " +
                            $"Events: {string.Join(", ", session.History.GroupBy(e => e.GetType().Name).Select(g => $"{g.Key}×{g.Count()}"))}");
            }
        }
    }
}
