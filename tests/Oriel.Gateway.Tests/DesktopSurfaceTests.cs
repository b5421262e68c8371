using System.Buffers;
using System.Reflection;
using Microsoft.Extensions.Time.Testing;
using Oriel.Gateway.Desktop;
using Oriel.Gateway.Sessions;
using Oriel.Graphics;
using Oriel.Tdp;

namespace Oriel.Gateway.Tests;

/// <summary>
/// The protocol-agnostic desktop surface on its own: a framebuffer the test paints, a recording browser
/// channel, a counting "ask the target for an update" callback and a fake clock.
/// </summary>
public class DesktopSurfaceTests
{
    private sealed class Harness : IDisposable
    {
        public Harness(int width, int height, FrameEncoderOptions? options = null)
        {
            Framebuffer = new Framebuffer(width, height);
            Surface = new DesktopSurface(Browser, () => Framebuffer, () => UpdateRequests++, Live, options ?? new FrameEncoderOptions(), Clock);
        }

        public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UnixEpoch);
        public RecordingTdpSender Browser { get; } = new();
        public LiveSession Live { get; } = new("s1", "u1", "user", "t1", "vnc", "desktop", null, DateTimeOffset.UnixEpoch);
        public Framebuffer Framebuffer { get; }
        public DesktopSurface Surface { get; }
        public int UpdateRequests { get; set; }

        /// <summary>Paints the whole framebuffer one new colour and reports it as damage.</summary>
        public void Repaint(uint color)
        {
            Framebuffer.Fill(Framebuffer.Bounds, color);
            Surface.Damage(Framebuffer.Bounds);
        }

        public void Dispose() => Surface.Dispose();
    }

    [Fact]
    public async Task Opening_sends_the_size_and_a_completed_update_sends_a_frame_then_asks_for_the_next()
    {
        using var h = new Harness(64, 48);
        await h.Surface.OpenAsync(64, 48, updatePending: true);
        Assert.Equal([new DesktopSizeMessage(64, 48)], h.Browser.Take());
        Assert.False(h.Surface.WantsUpdate); // the first update is already asked for

        h.Repaint(0xFF336699);
        await h.Surface.UpdateCompletedAsync();

        var sent = h.Browser.Take();
        var tile = Assert.IsType<PngFrame2Message>(sent[0]);
        Assert.Equal((0u, 0u, 64u, 48u), (tile.Left, tile.Top, tile.Right, tile.Bottom));
        Assert.Equal(new FrameMarkerMessage(1), sent[^1]);
        Assert.Equal(1, h.UpdateRequests);
        Assert.True(h.Surface.UpdatePending);
        Assert.Equal(1, h.Live.FramesSent);
    }

    [Fact]
    public async Task Flow_control_holds_frames_and_update_requests_back_until_the_browser_acknowledges()
    {
        using var h = new Harness(64, 64);
        await h.Surface.OpenAsync(64, 64, updatePending: true);
        h.Browser.Take();
        for (var i = 1; i <= FlowController.DefaultMaxInFlight; i++)
        {
            h.Repaint(0xFF000000u + (uint)i);
            await h.Surface.UpdateCompletedAsync();
            Assert.Equal(new FrameMarkerMessage((uint)i), h.Browser.Take()[^1]);
        }
        // Three frames unacknowledged: the last one did not ask the target for more.
        Assert.Equal(FlowController.DefaultMaxInFlight - 1, h.UpdateRequests);
        Assert.False(h.Surface.WantsUpdate);

        // Changes keep merging while the browser is behind; nothing goes out, nothing is asked for.
        h.Repaint(0xFF0000AA);
        h.Repaint(0xFF0000BB);
        await h.Surface.UpdateCompletedAsync();
        Assert.Empty(h.Browser.Take());
        Assert.Equal(FlowController.DefaultMaxInFlight - 1, h.UpdateRequests);

        // The browser draws frame 1: the merged change goes out as one frame, still no room to ask for more.
        await h.Surface.AcknowledgeAsync(1);
        var released = h.Browser.Take();
        Assert.Single(released, m => m is PngFrame2Message);
        Assert.Equal(new FrameMarkerMessage(4), released[^1]);
        Assert.Equal(FlowController.DefaultMaxInFlight - 1, h.UpdateRequests);

        // Frame 2 drawn: nothing waits, so the surface asks the target for its next update.
        await h.Surface.AcknowledgeAsync(2);
        Assert.Empty(h.Browser.Take());
        Assert.Equal(FlowController.DefaultMaxInFlight, h.UpdateRequests);
        Assert.True(h.Surface.UpdatePending);
    }

    [Fact]
    public async Task Acks_before_the_desktop_is_open_send_nothing_and_a_resize_asks_for_one_update_only()
    {
        using var h = new Harness(32, 32);
        await h.Surface.AcknowledgeAsync(7);
        Assert.Empty(h.Browser.Sent);
        Assert.Equal(0, h.UpdateRequests);

        await h.Surface.OpenAsync(32, 32, updatePending: false);
        h.Surface.EnsureUpdateRequested();
        h.Surface.EnsureUpdateRequested();
        Assert.Equal(1, h.UpdateRequests);

        await h.Surface.ResizeAsync(16, 8);
        Assert.Equal(new DesktopSizeMessage(16, 8), h.Browser.Sent[^1]);
    }

    [Fact]
    public async Task Copies_and_cursor_shapes_reach_the_browser_in_order()
    {
        using var h = new Harness(64, 64);
        await h.Surface.OpenAsync(64, 64, updatePending: true);
        h.Repaint(0xFF102030);
        await h.Surface.UpdateCompletedAsync();
        await h.Surface.AcknowledgeAsync(1);
        h.Browser.Take();

        h.Framebuffer.CopyRect(new Rect(0, 0, 16, 16), 32, 32);
        h.Surface.Copy(new Rect(0, 0, 16, 16), 32, 32);
        await h.Surface.UpdateCompletedAsync();
        var rgba = new byte[2 * 2 * 4];
        rgba[3] = 0xFF;
        await h.Surface.CursorAsync(1, 0, 2, 2, rgba);

        var sent = h.Browser.Take();
        Assert.Equal(new CopyRectMessage(0, 0, 16, 16, 32, 32), sent[0]);
        Assert.Equal(new FrameMarkerMessage(2), sent[1]);
        var cursor = Assert.IsType<CursorShapeMessage>(sent[2]);
        Assert.Equal((1, 0, 2, 2), (cursor.HotspotX, cursor.HotspotY, cursor.Width, cursor.Height));
        Assert.Equal(rgba, cursor.Rgba);
    }

    [Fact]
    public async Task Lossy_tiles_are_refined_as_png_once_quiet_for_the_refine_delay()
    {
        var options = new FrameEncoderOptions { JpegEncoder = FakeJpeg };
        using var h = new Harness(256, 256, options);
        await h.Surface.OpenAsync(256, 256, updatePending: true);
        h.Browser.Take();
        Assert.Null(await h.Surface.RefineAsync()); // nothing lossy yet
        var sleeping = h.Surface.WaitForLossyAsync(CancellationToken.None);
        Assert.False(sleeping.IsCompleted);

        var random = new Random(42);
        foreach (ref var p in h.Framebuffer.Pixels) p = 0xFF000000u | (uint)random.Next(0x1000000);
        h.Surface.Damage(h.Framebuffer.Bounds);
        await h.Surface.UpdateCompletedAsync();
        var first = h.Browser.Take();
        Assert.IsType<JpegFrameMessage>(first[0]);
        await sleeping.WaitAsync(TimeSpan.FromSeconds(5)); // the refinement loop is woken
        await h.Surface.AcknowledgeAsync(1);

        Assert.Equal(options.RefineDelay, await h.Surface.RefineAsync());
        h.Clock.Advance(options.RefineDelay - TimeSpan.FromMilliseconds(1));
        Assert.Equal(options.RefineDelay, await h.Surface.RefineAsync());
        Assert.Empty(h.Browser.Sent); // not quiet long enough

        h.Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(await h.Surface.RefineAsync());
        var refined = h.Browser.Take();
        var png = Assert.IsType<PngFrame2Message>(refined[0]);
        Assert.Equal((0u, 0u, 256u, 256u), (png.Left, png.Top, png.Right, png.Bottom));
        Assert.Equal(new FrameMarkerMessage(2), refined[^1]);
    }

    [Fact]
    public void The_surface_is_protocol_agnostic_no_rfb_type_in_its_fields_or_signatures()
    {
        var types = typeof(DesktopSurface).Assembly.GetTypes().Where(t => t.Namespace == typeof(DesktopSurface).Namespace).ToArray();
        Assert.Contains(typeof(DesktopSurface), types);
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var type in types)
        {
            var used = new List<Type>(type.GetInterfaces());
            if (type.BaseType is { } baseType) used.Add(baseType);
            used.AddRange(type.GetFields(All).Select(f => f.FieldType));
            used.AddRange(type.GetProperties(All).Select(p => p.PropertyType));
            foreach (var method in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
            {
                used.AddRange(method.GetParameters().Select(p => p.ParameterType));
                if (method is MethodInfo m) used.Add(m.ReturnType);
            }
            foreach (var t in used.SelectMany(Flatten))
            {
                Assert.False(t.Assembly.GetName().Name!.StartsWith("Oriel.Rfb", StringComparison.Ordinal), $"{type} uses the RFB type {t}");
            }
        }
    }

    /// <summary>A type with its element and generic argument types (Func&lt;Framebuffer?&gt; names Framebuffer).</summary>
    private static IEnumerable<Type> Flatten(Type t)
    {
        yield return t;
        if (t.HasElementType)
        {
            foreach (var e in Flatten(t.GetElementType()!)) yield return e;
        }
        foreach (var g in t.IsGenericType ? t.GetGenericArguments() : [])
        {
            foreach (var e in Flatten(g)) yield return e;
        }
    }

    /// <summary>A lossy stand-in for libturbojpeg: a few bytes per tile (the surface never decodes them).</summary>
    private static int FakeJpeg(Framebuffer framebuffer, Rect area, int quality, IBufferWriter<byte> output)
    {
        ReadOnlySpan<byte> bytes = [0xFF, 0xD8, 0xFF, 0xD9];
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
        return bytes.Length;
    }
}
