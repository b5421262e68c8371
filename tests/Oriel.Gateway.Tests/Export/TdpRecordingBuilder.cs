using System.Buffers;
using Oriel.Graphics;
using Oriel.Graphics.Jpeg;
using Oriel.Recording;
using Oriel.Tdp;

namespace Oriel.Gateway.Tests.Export;

/// <summary>
/// Writes small synthetic TDP recordings (header kind "tdp") with Oriel.Recording's writer: the messages a
/// gateway would have sent, at chosen times, with flat-colour images so lossy video still compares.
/// </summary>
internal sealed class TdpRecordingBuilder
{
    private readonly ArrayBufferWriter<byte> _output = new();
    private readonly StreamRecordingWriter _writer;

    public TdpRecordingBuilder(string sessionId = "s1", StreamRecordingWriterOptions? options = null)
    {
        _writer = new StreamRecordingWriter(_output, new StreamRecordingHeader { Kind = StreamRecordingHeader.TdpKind, SessionId = sessionId, StartUnixMilliseconds = 1_700_000_000_000 }, options);
    }

    /// <summary>Server-to-browser messages at <paramref name="seconds"/>, all in one data record (whole messages, at most 1 MiB).</summary>
    public TdpRecordingBuilder Send(double seconds, params TdpMessage[] messages)
    {
        var bytes = messages.SelectMany(TdpCodec.Encode).ToArray();
        _writer.AppendData(StreamDirection.ServerToClient, Us(seconds), bytes);
        return this;
    }

    /// <summary>A keyframe at <paramref name="seconds"/>: a Sync record, then Keyframe records holding the messages.</summary>
    public TdpRecordingBuilder Keyframe(double seconds, params TdpMessage[] messages)
    {
        _writer.AppendKeyframe(Us(seconds), messages.Select(m => (ReadOnlyMemory<byte>)TdpCodec.Encode(m)).ToArray());
        return this;
    }

    /// <summary>Browser-to-server messages at <paramref name="seconds"/>.</summary>
    public TdpRecordingBuilder Receive(double seconds, params TdpMessage[] messages)
    {
        _writer.AppendData(StreamDirection.ClientToServer, Us(seconds), messages.SelectMany(TdpCodec.Encode).ToArray());
        return this;
    }

    /// <summary>The file, ended at <paramref name="seconds"/>.</summary>
    public byte[] Finish(double seconds)
    {
        _writer.Finish(Us(seconds));
        return _output.WrittenSpan.ToArray();
    }

    /// <summary>The file so far, without an End record (a recording cut off by a crash).</summary>
    public byte[] Unfinished() => _output.WrittenSpan.ToArray();

    public static long Us(double seconds) => (long)Math.Round(seconds * 1_000_000);

    public static DesktopSizeMessage Size(int width, int height) => new((uint)width, (uint)height);

    /// <summary>A flat <paramref name="color"/> (0xRRGGBB) PNG frame 2 (27) of <paramref name="width"/> x <paramref name="height"/> at (x, y).</summary>
    public static PngFrame2Message Png(int x, int y, int width, int height, uint color, PngEncoderOptions? options = null)
    {
        var fb = new Framebuffer(width, height);
        fb.Fill(fb.Bounds, color);
        var w = new ArrayBufferWriter<byte>();
        new PngEncoder(options).Encode(fb, fb.Bounds, w);
        return new PngFrame2Message((uint)x, (uint)y, (uint)(x + width), (uint)(y + height), w.WrittenSpan.ToArray());
    }

    /// <summary>A PNG frame 2 of the given pixels (row-major, 0xRRGGBB).</summary>
    public static PngFrame2Message Png(int x, int y, Framebuffer pixels)
    {
        var w = new ArrayBufferWriter<byte>();
        new PngEncoder().Encode(pixels, pixels.Bounds, w);
        return new PngFrame2Message((uint)x, (uint)y, (uint)(x + pixels.Width), (uint)(y + pixels.Height), w.WrittenSpan.ToArray());
    }

    /// <summary>A flat-colour JPEG frame (106) made with the given codec.</summary>
    public static JpegFrameMessage Jpeg(JpegCodec codec, int x, int y, int width, int height, uint color)
    {
        var fb = new Framebuffer(width, height);
        fb.Fill(fb.Bounds, color);
        var w = new ArrayBufferWriter<byte>();
        codec.Encode(fb, fb.Bounds, 95, w, JpegSubsampling.Chroma444);
        return new JpegFrameMessage((uint)x, (uint)y, (uint)(x + width), (uint)(y + height), w.WrittenSpan.ToArray());
    }
}
