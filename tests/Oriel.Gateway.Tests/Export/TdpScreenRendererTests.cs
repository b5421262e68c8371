using Oriel.Gateway.Recordings.Export;
using Oriel.Graphics;
using Oriel.Graphics.TurboJpeg;
using Oriel.Recording;
using Oriel.Tdp;
using Oriel.Testing;
using Oriel.Wire;

namespace Oriel.Gateway.Tests.Export;

/// <summary>
/// The server-side TDP renderer on small synthetic recordings written with Oriel.Recording's writer: what it
/// draws for each message, message framing across records, and malformed input.
/// </summary>
public sealed class TdpScreenRendererTests
{
    private const uint Red = 0xFF0000, Green = 0x00FF00, Blue = 0x0000FF, White = 0xFFFFFF;

    /// <summary>Plays every ServerData and ClientData record of a file, in order.</summary>
    private static TdpScreenRenderer Play(byte[] file, Oriel.Graphics.Jpeg.JpegCodec? jpeg = null)
    {
        var renderer = new TdpScreenRenderer(jpeg);
        var read = StreamRecordingReader.ReadAll(file, StreamRecordingReadMode.Tolerant);
        foreach (var r in read.Records)
        {
            if (r.Kind == StreamRecordKind.ServerData) renderer.FeedServer(r.Payload.Span);
            else if (r.Kind == StreamRecordKind.ClientData) renderer.FeedClient(r.Payload.Span);
        }
        return renderer;
    }

    [Fact]
    public void Draws_png_frames_copy_rects_and_jpeg_frames()
    {
        using var jpeg = TurboJpegLibrary.CreateCodec();
        var file = new TdpRecordingBuilder()
            .Send(0, TdpRecordingBuilder.Size(32, 16), TdpRecordingBuilder.Png(0, 0, 32, 16, Red), new FrameMarkerMessage(1))
            .Send(0.5, TdpRecordingBuilder.Png(0, 0, 8, 8, Green), new CopyRectMessage(0, 0, 8, 8, 16, 8))
            .Send(1, TdpRecordingBuilder.Jpeg(jpeg, 24, 0, 8, 8, Blue), new NotificationMessage("hello", Severity.Info))
            .Finish(2);
        var screen = Play(file, jpeg).Screen!;
        Assert.Equal((32, 16), (screen.Width, screen.Height));
        Assert.Equal(Green, screen.At(3, 3));
        Assert.Equal(Red, screen.At(8, 0));
        Assert.Equal(Green, screen.At(16, 8));
        Assert.Equal(Green, screen.At(23, 15));
        Assert.Equal(Red, screen.At(15, 15));
        AssertNear(Blue, screen.At(28, 4), 8);
        Assert.Equal(Red, screen.At(28, 9));
    }

    [Fact]
    public void Messages_fed_in_slices_at_any_byte_are_joined()
    {
        // A tdp recording's records hold whole messages; the renderer frames a stream anyway, so it does not depend on it.
        var bytes = new[] { (TdpMessage)TdpRecordingBuilder.Size(10, 10), TdpRecordingBuilder.Png(2, 2, 4, 4, Blue) }.SelectMany(TdpCodec.Encode).ToArray();
        var renderer = new TdpScreenRenderer(null);
        for (var i = 0; i < bytes.Length; i += 3)
        {
            renderer.FeedServer(bytes.AsSpan(i, Math.Min(3, bytes.Length - i)));
        }
        var screen = renderer.Screen!;
        Assert.Equal(Blue, screen.At(2, 2));
        Assert.Equal(Blue, screen.At(5, 5));
        Assert.Equal(0u, screen.At(6, 6));
    }

    [Fact]
    public void A_desktop_resize_keeps_the_top_left_and_the_new_area_is_black()
    {
        var file = new TdpRecordingBuilder()
            .Send(0, TdpRecordingBuilder.Size(8, 8), TdpRecordingBuilder.Png(0, 0, 8, 8, White))
            .Send(1, TdpRecordingBuilder.Size(12, 4))
            .Finish(2);
        var screen = Play(file).Screen!;
        Assert.Equal((12, 4), (screen.Width, screen.Height));
        Assert.Equal(White, screen.At(7, 3));
        Assert.Equal(0u, screen.At(8, 0));
    }

    [Fact]
    public void Images_before_any_desktop_size_are_dropped_and_images_off_the_canvas_draw_nothing()
    {
        var file = new TdpRecordingBuilder()
            .Send(0, TdpRecordingBuilder.Png(0, 0, 4, 4, Red))
            .Send(1, TdpRecordingBuilder.Size(6, 6), TdpRecordingBuilder.Png(6, 0, 4, 4, Red), TdpRecordingBuilder.Png(4, 4, 4, 4, Green))
            .Send(1, new CopyRectMessage(4, 4, 100, 100, 0, 0))
            .Finish(2);
        var renderer = Play(file);
        Assert.Equal(1, renderer.DroppedImages);
        var screen = renderer.Screen!;
        Assert.Equal(Green, screen.At(5, 5));
        Assert.Equal(Green, screen.At(0, 0)); // the copy's part on the canvas
        Assert.Equal(Green, screen.At(1, 1));
        Assert.Equal(0u, screen.At(2, 2));
        Assert.Equal(0u, screen.At(5, 0));
    }

    [Fact]
    public void The_cursor_is_drawn_at_the_recorded_pointer_with_its_alpha()
    {
        // A 2x2 cursor, hotspot (1,1): opaque white top-left, half-transparent black bottom-right, clear elsewhere.
        byte[] rgba = [255, 255, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 128];
        var file = new TdpRecordingBuilder()
            .Send(0, TdpRecordingBuilder.Size(8, 8), TdpRecordingBuilder.Png(0, 0, 8, 8, Red), new CursorShapeMessage(1, 1, 2, 2, rgba))
            .Receive(0.5, new MouseMoveMessage(4, 5))
            .Finish(1);
        var renderer = Play(file);
        Assert.Equal((4, 5), renderer.Pointer);
        var frame = new byte[8 * 8 * 4];
        RecordingExporter.Compose(renderer, frame, 8, 8);
        uint Pixel(int x, int y) => BitConverter.ToUInt32(frame, ((y * 8) + x) * 4);
        Assert.Equal(White, Pixel(3, 4));
        Assert.Equal(Red, Pixel(4, 4));
        Assert.Equal(0x7F0000u, Pixel(4, 5)); // 255 * 127 / 255 of red under half black
        Assert.Equal(Red, renderer.Screen!.At(3, 4)); // the screen itself is not drawn on
    }

    [Fact]
    public void Compose_pads_a_smaller_desktop_with_black()
    {
        var renderer = Play(new TdpRecordingBuilder().Send(0, TdpRecordingBuilder.Size(3, 2), TdpRecordingBuilder.Png(0, 0, 3, 2, Blue)).Finish(1));
        var frame = new byte[4 * 4 * 4];
        Array.Fill(frame, (byte)0xAB);
        RecordingExporter.Compose(renderer, frame, 4, 4);
        var pixels = Enumerable.Range(0, 16).Select(i => BitConverter.ToUInt32(frame, i * 4)).ToArray();
        Assert.Equal([Blue, Blue, Blue, 0u, Blue, Blue, Blue, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u], pixels);
    }

    [Fact]
    public void Malformed_messages_and_images_throw_decode_exception()
    {
        var renderer = new TdpScreenRenderer(null);
        Assert.Contains("unknown message type 238", Assert.Throws<DecodeException>(() => renderer.FeedServer([0xEE, 0, 0])).Message, StringComparison.Ordinal);

        var png = TdpRecordingBuilder.Png(0, 0, 4, 4, Red);
        png.Data[^5] ^= 0xFF; // the IEND CRC
        var badPng = new TdpRecordingBuilder().Send(0, TdpRecordingBuilder.Size(4, 4), png).Finish(1);
        Assert.Equal("PNG", Assert.Throws<DecodeException>(() => Play(badPng)).What);

        var offCanvas = TdpRecordingBuilder.Png(100, 100, 4, 4, Red);
        offCanvas.Data[0] = 0; // not a PNG, even where it would not show
        var badOff = new TdpRecordingBuilder().Send(0, TdpRecordingBuilder.Size(4, 4), offCanvas).Finish(1);
        Assert.Throws<DecodeException>(() => Play(badOff));

        using var codec = TurboJpegLibrary.CreateCodec();
        var jpegWithoutLibrary = new TdpRecordingBuilder().Send(0, TdpRecordingBuilder.Size(8, 8)).Send(1, TdpRecordingBuilder.Jpeg(codec, 0, 0, 8, 8, Red)).Finish(2);
        Assert.Contains("no JPEG library", Assert.Throws<DecodeException>(() => Play(jpegWithoutLibrary)).Message, StringComparison.Ordinal);

        var huge = new TdpRecordingBuilder().Send(0, TdpRecordingBuilder.Size(16384, 16384)).Finish(1);
        Assert.Contains("exceeds the cap", Assert.Throws<DecodeException>(() => Play(huge)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mutated_message_streams_never_escape_as_anything_but_decode_exception()
    {
        using var jpeg = TurboJpegLibrary.CreateCodec();
        TdpMessage[] messages =
        [
            TdpRecordingBuilder.Size(40, 30), TdpRecordingBuilder.Png(3, 4, 20, 10, Red), TdpRecordingBuilder.Png(30, 25, 20, 10, Green),
            new CopyRectMessage(0, 0, 30, 20, 10, 10), TdpRecordingBuilder.Jpeg(jpeg, 8, 8, 16, 16, Blue),
            new CursorShapeMessage(0, 0, 1, 1, [1, 2, 3, 4]), new FrameMarkerMessage(7), TdpRecordingBuilder.Size(20, 50),
        ];
        var stream = messages.SelectMany(TdpCodec.Encode).ToArray();
        var rng = new Random(31337);
        var drawn = 0;
        for (var i = 0; i < 2000; i++)
        {
            var bytes = (byte[])stream.Clone();
            for (var n = rng.Next(1, 4); n > 0; n--)
            {
                if (rng.Next(2) == 0) Mutator.FlipBit(bytes, rng);
                else Mutator.SetRandomByte(bytes, rng);
            }
            var renderer = new TdpScreenRenderer(jpeg, maxPixels: 1 << 20);
            try
            {
                renderer.FeedServer(bytes);
                var frame = new byte[64 * 64 * 4];
                RecordingExporter.Compose(renderer, frame, 64, 64);
                drawn++;
            }
            catch (DecodeException)
            {
            }
        }
        Assert.InRange(drawn, 1, 1999);
    }

    [Fact]
    public async Task The_file_reader_reads_a_cut_off_recording_up_to_its_last_whole_record()
    {
        var builder = new TdpRecordingBuilder()
            .Send(0, TdpRecordingBuilder.Size(4, 4))
            .Send(1.5, TdpRecordingBuilder.Png(0, 0, 4, 4, Red));
        var whole = builder.Unfinished();
        var path = Path.Combine(Path.GetTempPath(), $"oriel-export-{Guid.NewGuid():N}.orec");
        try
        {
            await File.WriteAllBytesAsync(path, whole[..^3]); // the last record loses its checksum
            await using (var reader = await RecordingFileReader.OpenAsync(path, CancellationToken.None))
            {
                var kinds = new List<StreamRecordKind>();
                while (await reader.NextAsync(CancellationToken.None) is { } r) kinds.Add(r.Kind);
                Assert.Equal([StreamRecordKind.ServerData], kinds);
                Assert.Equal(0, reader.TimeMicroseconds);
                Assert.Contains("ends inside a record", reader.Problem, StringComparison.Ordinal);
            }

            await File.WriteAllBytesAsync(path, whole);
            await using (var reader = await RecordingFileReader.OpenAsync(path, CancellationToken.None))
            {
                while (await reader.NextAsync(CancellationToken.None) is not null)
                {
                }
                Assert.Equal(1_500_000, reader.TimeMicroseconds);
                Assert.Contains("without its End record", reader.Problem, StringComparison.Ordinal);
            }

            await File.WriteAllBytesAsync(path, whole[..10]);
            await Assert.ThrowsAsync<DecodeException>(() => RecordingFileReader.OpenAsync(path, CancellationToken.None));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void AssertNear(uint expected, uint actual, int tolerance)
    {
        for (var shift = 0; shift <= 16; shift += 8)
        {
            var e = (int)((expected >> shift) & 0xFF);
            var a = (int)((actual >> shift) & 0xFF);
            Assert.True(Math.Abs(e - a) <= tolerance, $"0x{actual:X6} is not within {tolerance} of 0x{expected:X6}");
        }
    }
}
