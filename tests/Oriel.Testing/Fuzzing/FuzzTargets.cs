using System.Buffers;
using System.Text;
using Oriel.Graphics;
using Oriel.Graphics.Jpeg;
using Oriel.Graphics.TurboJpeg;
using Oriel.Recording;
using Oriel.Rfb;
using Oriel.Rfb.Encodings;
using Oriel.Rfb.Messages;
using Oriel.Rfb.Passthrough;
using Oriel.Rfb.Replay;
using Oriel.Tdp;
using Oriel.Wire;

namespace Oriel.Testing.Fuzzing;

/// <summary>
/// Every decoder of untrusted bytes, as one fuzz target each: the TDP codec both ways, the RFB client's
/// handshake and its normal phase, each RFB rectangle encoding, the passthrough relay's client-stream filter
/// and its None-security server handshake, the recording reader, the PNG decoder, and the replay observer that rebuilds the
/// screen from a recording's two RFB streams. The fuzzer (fuzz/Oriel.Fuzz), the
/// regression replay (<see cref="RegressionCorpus"/>) and the smoke in scripts/test all run these.
/// <para>
/// Where a decoder takes a stream, the first input byte is the chunk size it is fed in (0: all at once), so
/// the fuzzer also explores where reads end. Each target also keeps an allocation budget: decoders cap every
/// length before allocating, and a run that allocates past the budget is a finding.
/// </para>
/// <para>
/// Every target that can meet a Tight JpegCompression rectangle (the RFB client targets, the encoding targets
/// and the replay observer) gets a real <see cref="JpegCodec"/> over libjpeg-turbo (<see cref="TurboJpegLibrary"/>),
/// a new one per input so no decoder state crosses inputs: without a codec a JPEG rectangle is refused before
/// <see cref="JpegCodec"/>'s own checks run, and those checks are what the fuzzer must reach.
/// </para>
/// </summary>
public static class FuzzTargets
{
    /// <summary>The RFB client may size a framebuffer at <see cref="Framebuffer.MaxPixels"/> (256 MiB) and keep the old one meanwhile.</summary>
    private const long RfbClientBudget = 640L * 1024 * 1024;

    private const long DecoderBudget = 32L * 1024 * 1024;

    /// <summary>Largest framebuffer side an encoding target draws on (the first header bytes pick the size).</summary>
    private const int EncodingFramebufferSide = 128;

    /// <summary>Most rectangles one encoding input decodes in a row on one decoder set (zlib streams persist between them).</summary>
    private const int MaxRectangles = 16;

    /// <summary>The targets, by name.</summary>
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new("tdp-client", "browser-to-gateway TDP: one WebSocket message, then the same bytes framed as a stream, into the client handshake", Budgeted(DecoderBudget, TdpClient)),
        new("tdp-server", "gateway-to-browser TDP: one WebSocket message, then the same bytes framed as a stream", Budgeted(DecoderBudget, TdpServer)),
        new("rfb-handshake", "chunk byte, then what a VNC server sends from ProtocolVersion to ServerInit", Budgeted(RfbClientBudget, RfbHandshake)),
        new("rfb-server", "chunk byte, then what a VNC server sends after a 3.8 None handshake and an 8x4 ServerInit", Budgeted(RfbClientBudget, RfbServerMessages)),
        new("rfb-raw", EncodingDescription, Budgeted(DecoderBudget, input => RectangleEncoding(RfbEncodingType.Raw, input))),
        new("rfb-copyrect", EncodingDescription, Budgeted(DecoderBudget, input => RectangleEncoding(RfbEncodingType.CopyRect, input))),
        new("rfb-rre", EncodingDescription, Budgeted(DecoderBudget, input => RectangleEncoding(RfbEncodingType.Rre, input))),
        new("rfb-hextile", EncodingDescription, Budgeted(DecoderBudget, input => RectangleEncoding(RfbEncodingType.Hextile, input))),
        new("rfb-trle", EncodingDescription, Budgeted(DecoderBudget, input => RectangleEncoding(RfbEncodingType.Trle, input))),
        new("rfb-zrle", EncodingDescription, Budgeted(DecoderBudget, input => RectangleEncoding(RfbEncodingType.Zrle, input))),
        new("rfb-tight", EncodingDescription, Budgeted(DecoderBudget, input => RectangleEncoding(RfbEncodingType.Tight, input))),
        new("passthrough-filter", "chunk byte, server-greeting byte, then a browser's RFB client stream", Budgeted(DecoderBudget, PassthroughFilter)),
        new("passthrough-handshake", "chunk byte, then a browser's bytes to the relay's None-security server handshake", Budgeted(DecoderBudget, PassthroughHandshake)),
        new("recording", "chunk byte, then a stream recording file (.orec)", Budgeted(DecoderBudget, Recording)),
        new("tdp-recording", "chunk byte, then a tdp stream recording file (.orec): read tolerantly, timeline, keyframes, TDP messages", Budgeted(DecoderBudget, TdpRecording)),
        new("png", "two offset bytes (signed x, y), then a PNG file drawn there on a 64x64 framebuffer (PngDecoder, as the recording renderer draws TDP PNG frames)", Budgeted(DecoderBudget, Png)),
        new("recording-replay", "recorded RFB session for the replay observer: records of a direction byte (bit 0: 1 from the server), a length byte and that many bytes", Budgeted(RfbClientBudget, RecordingReplay)),
    ];

    private const string EncodingDescription =
        "header (pixel format, framebuffer width and height, rectangle x, y, width, height, chunk; one byte each), then rectangle payloads";

    /// <summary>The target called <paramref name="name"/>.</summary>
    public static FuzzTarget Get(string name) =>
        All.FirstOrDefault(t => t.Name == name) ?? throw new ArgumentException($"no fuzz target '{name}'", nameof(name));

    /// <summary>
    /// Runs <paramref name="run"/> and fails it if it allocated more than <paramref name="budget"/> bytes on this
    /// thread (every decoder caps lengths before allocating; the budgets are far above any legitimate input's needs).
    /// </summary>
    private static Action<byte[]> Budgeted(long budget, Action<byte[]> run) => input =>
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        run(input);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (allocated > budget)
        {
            throw new FuzzFindingException($"{allocated} bytes allocated for a {input.Length}-byte input (budget {budget})");
        }
    };

    /// <summary>
    /// A codec over libjpeg-turbo for one input; the native handles are made on the first JPEG only. Throws
    /// <see cref="DllNotFoundException"/> naming the Debian package when the library is missing: a fuzz run
    /// without it would silently stop covering the JPEG path.
    /// </summary>
    private static JpegCodec NewJpegCodec() => TurboJpegLibrary.CreateCodec();

    /// <summary>The length of the leading chunk byte's chunks: 0 means everything at once.</summary>
    private static int ChunkLength(byte selector) => selector == 0 ? int.MaxValue : selector;

    private static void TdpClient(byte[] input) => Tdp(input, new TdpClientHandshake());

    private static void TdpServer(byte[] input) => Tdp(input, null);

    private static void Tdp(byte[] input, TdpClientHandshake? handshake)
    {

        // As the gateway reads it: one whole WebSocket message.
        TdpDecode(input, handshake);

        // As a byte stream split by the framing.
        var rest = input.AsSpan();
        try
        {
            while (TdpCodec.TryGetMessageLength(rest, out var length))
            {
                if (length <= 0 || length > rest.Length)
                {
                    throw new FuzzFindingException($"TryGetMessageLength gave {length} for {rest.Length} buffered bytes");
                }
                TdpDecode(rest[..length].ToArray(), handshake);
                rest = rest[length..];
            }
        }
        catch (DecodeException)
        {
        }
    }

    private static void TdpDecode(byte[] message, TdpClientHandshake? handshake)
    {
        TdpMessage m;
        try
        {
            m = TdpCodec.Decode(message);
        }
        catch (DecodeException)
        {
            return;
        }

        // What decodes re-encodes to the same bytes and frames to the same length.
        if (!TdpCodec.Encode(m).AsSpan().SequenceEqual(message))
        {
            throw new FuzzFindingException($"{m.Type} does not re-encode to the bytes it was decoded from");
        }
        if (m.Type != TdpMessageType.PngFrame && (!TdpCodec.TryGetMessageLength(message, out var length) || length != message.Length))
        {
            throw new FuzzFindingException($"{m.Type} decodes from {message.Length} bytes but does not frame to that length");
        }
        if (handshake is { IsReady: false })
        {
            handshake.Accept(m);
        }
    }

    private static void RfbHandshake(byte[] input)
    {
        if (input.Length == 0) return;
        using var jpeg = NewJpegCodec();
        var client = new RfbClient(new RfbClientOptions { Password = "secret", Username = "u", Jpeg = jpeg }, new CountingSink());
        FeedRfbClient(client, input.AsSpan(1), ChunkLength(input[0]));
    }

    private static void RfbServerMessages(byte[] input)
    {
        if (input.Length == 0) return;
        using var jpeg = NewJpegCodec();
        var client = new RfbClient(new RfbClientOptions { MaxClipboardBytes = 64 * 1024, Jpeg = jpeg }, new CountingSink());
        client.Receive(ConnectedPrefix);
        if (client.Phase != RfbPhase.Normal)
        {
            throw new FuzzFindingException($"the valid handshake left the client in {client.Phase}");
        }
        FeedRfbClient(client, input.AsSpan(1), ChunkLength(input[0]));
    }

    /// <summary>
    /// A 3.8 handshake with security None and an 8x4 true-colour ServerInit. Built on first use, inside the
    /// fuzzer's run: instrumented code must not run before SharpFuzz has set up afl's coverage map.
    /// </summary>
    public static byte[] ConnectedPrefix => s_connectedPrefix.Value;

    private static readonly Lazy<byte[]> s_connectedPrefix = new(BuildConnectedPrefix);

    private static byte[] BuildConnectedPrefix()
    {
        var init = new ServerInitMessage(8, 4, PixelFormat.Rgb888, "fuzz");
        var initBytes = new byte[init.Size];
        var w = new SpanWriter(initBytes);
        init.Encode(ref w);
        return [.. Encoding.ASCII.GetBytes("RFB 003.008\n"), 0x01, 0x01, 0, 0, 0, 0, .. initBytes];
    }

    private static void FeedRfbClient(RfbClient client, ReadOnlySpan<byte> stream, int chunk)
    {
        var output = new ArrayBufferWriter<byte>();
        try
        {
            while (!stream.IsEmpty && client.Phase != RfbPhase.Closed)
            {
                var n = Math.Min(chunk, stream.Length);
                client.Receive(stream[..n]);
                stream = stream[n..];
                while (client.TryDequeueEvent(out _))
                {
                }
                if (client.Phase == RfbPhase.TlsHandshake) client.TlsEstablished();
                client.TakeOutput(output);
                output.ResetWrittenCount();
            }
        }
        catch (DecodeException)
        {
        }
        catch (RfbSecurityException)
        {
        }
    }

    private static void RectangleEncoding(int encoding, byte[] input)
    {
        const int HeaderLength = 8;
        if (input.Length < HeaderLength) return;
        var format = TestFormats.All[input[0] % TestFormats.All.Length];
        var fbWidth = 1 + input[1] % EncodingFramebufferSide;
        var fbHeight = 1 + input[2] % EncodingFramebufferSide;
        var x = input[3] % fbWidth;
        var y = input[4] % fbHeight;
        var rect = new Rect(x, y, input[5] % (fbWidth - x + 1), input[6] % (fbHeight - y + 1));
        var chunk = ChunkLength(input[7]);

        using var jpeg = NewJpegCodec();
        var set = new RectangleDecoderSet(jpeg);
        if (!set.TryGet(encoding, out var decoder))
        {
            throw new FuzzFindingException($"no decoder for encoding {encoding}");
        }
        var context = new RectangleContext(new Framebuffer(fbWidth, fbHeight), TestFormats.Converter(format), new CountingSink());
        var payload = input.AsSpan(HeaderLength);
        try
        {
            for (var r = 0; r < MaxRectangles && (r == 0 || !payload.IsEmpty); r++)
            {
                var used = DecodeRectangle(decoder, rect, context, payload, chunk);
                if (used < 0) return; // needs more than there is
                payload = payload[used..];
            }
        }
        catch (DecodeException)
        {
        }
    }

    /// <summary>Offers the decoder a growing window of <paramref name="payload"/>, as the engine does; the bytes used, or -1 if it needs more.</summary>
    private static int DecodeRectangle(IRectangleDecoder decoder, Rect rect, RectangleContext context, ReadOnlySpan<byte> payload, int chunk)
    {
        decoder.Begin(rect, context);
        var start = 0;
        var available = 0;
        while (true)
        {
            var used = decoder.Decode(payload[start..available], context, out var complete);
            if (used < 0 || used > available - start)
            {
                throw new FuzzFindingException($"decoder {decoder.EncodingType} consumed {used} of {available - start} bytes");
            }
            start += used;
            if (complete) return start;
            if (available == payload.Length) return -1;
            available = (int)Math.Min(payload.Length, (long)available + chunk);
        }
    }

    private static void PassthroughFilter(byte[] input)
    {
        if (input.Length < 2) return;
        var filter = new RfbClientStreamFilter(maxClipboardBytes: 64 * 1024);
        var chunk = ChunkLength(input[0]);
        byte[] greeting = (input[1] % 4) switch
        {
            0 => Encoding.ASCII.GetBytes("RFB 003.008\n"),
            1 => Encoding.ASCII.GetBytes("RFB 003.007\n"),
            2 => [.. Encoding.ASCII.GetBytes("RFB 003.003\n"), 0, 0, 0, 1],
            _ => [.. Encoding.ASCII.GetBytes("RFB 003.003\n"), 0, 0, 0, 2],
        };
        filter.ObserveServer(greeting);
        var output = new ArrayBufferWriter<byte>();
        var stream = input.AsSpan(2);
        try
        {
            while (!stream.IsEmpty)
            {
                var n = Math.Min(chunk, stream.Length);
                filter.Filter(stream[..n], output);
                stream = stream[n..];
                output.ResetWrittenCount();
            }
        }
        catch (DecodeException)
        {
        }
    }

    private static void PassthroughHandshake(byte[] input)
    {
        if (input.Length == 0) return;
        var handshake = new RfbNoneSecurityServerHandshake();
        var chunk = ChunkLength(input[0]);
        var output = new ArrayBufferWriter<byte>();
        var stream = input.AsSpan(1);
        try
        {
            while (!stream.IsEmpty && !handshake.IsComplete)
            {
                var n = Math.Min(chunk, stream.Length);
                var used = handshake.Receive(stream[..n]);
                if (used < 0 || used > n)
                {
                    throw new FuzzFindingException($"the handshake took {used} of {n} bytes");
                }
                stream = stream[used..];
                handshake.TakeOutput(output);
                output.ResetWrittenCount();
            }
        }
        catch (DecodeException)
        {
        }
    }

    /// <summary>The strict PNG decoder, drawing at an offset (clipping both ways) with a 1 Mpixel cap.</summary>
    private static void Png(byte[] input)
    {
        if (input.Length < 2) return;
        var framebuffer = new Framebuffer(64, 64);
        try
        {
            var header = PngDecoder.ReadHeader(input.AsSpan(2));
            var drawn = new PngDecoder(maxPixels: 1 << 20).Draw(input.AsSpan(2), framebuffer, (sbyte)input[0], (sbyte)input[1]);
            if (drawn != header)
            {
                throw new FuzzFindingException($"Draw read the header as {drawn}, ReadHeader as {header}");
            }
        }
        catch (DecodeException)
        {
        }
    }

    private static void Recording(byte[] input)
    {
        if (input.Length == 0) return;
        var chunk = ChunkLength(input[0]);
        var file = input.AsMemory(1);
        foreach (var mode in new[] { StreamRecordingReadMode.Strict, StreamRecordingReadMode.Tolerant })
        {
            try
            {
                var result = StreamRecordingReader.ReadAll(file, mode);
                if (result.ValidLength > file.Length)
                {
                    throw new FuzzFindingException($"ValidLength {result.ValidLength} is past the {file.Length}-byte file");
                }
            }
            catch (DecodeException) when (mode == StreamRecordingReadMode.Strict)
            {
            }
        }

        // Incrementally, as a live recording is read while it grows.
        try
        {
            var reader = new StreamRecordingReader();
            var at = 0;
            var available = 0;
            var header = false;
            while (available < file.Length)
            {
                available = (int)Math.Min(file.Length, (long)available + chunk);
                var window = file[at..available];
                if (!header)
                {
                    if (!reader.TryReadHeader(window.Span, out var h)) continue;
                    header = true;
                    at += h;
                    window = window[h..];
                }
                while (reader.TryReadRecord(window, out _, out var n))
                {
                    if (n <= 0 || n > window.Length)
                    {
                        throw new FuzzFindingException($"a record consumed {n} of {window.Length} bytes");
                    }
                    at += n;
                    window = window[n..];
                }
            }
        }
        catch (DecodeException)
        {
        }
    }

    /// <summary>
    /// A tdp recording as a player meets it: read tolerantly, every keyframe part parsed and every data and keyframe
    /// payload split into TDP messages and decoded; the timeline from the file (its End index when the tail leads to
    /// one, else a scan), its histogram, seek ranges and sync points checked against their rules; and a chunked scan
    /// that must agree with a whole-file scan.
    /// </summary>
    private static void TdpRecording(byte[] input)
    {
        if (input.Length == 0) return;
        var chunk = ChunkLength(input[0]);
        var file = input.AsMemory(1);

        var read = StreamRecordingReader.ReadAll(file, StreamRecordingReadMode.Tolerant);
        foreach (var record in read.Records)
        {
            try
            {
                ReadOnlySpan<byte> messages;
                if (record.Kind == StreamRecordKind.Keyframe) messages = KeyframePart.Parse(record.Payload.Span).Messages;
                else if (record.IsData) messages = record.Payload.Span;
                else continue;
                var count = 0;
                foreach (var message in TdpMessageSplitter.Enumerate(messages))
                {
                    TdpCodec.Decode(message);
                    count++;
                }
                if (count == 0) throw new FuzzFindingException("a payload split into no message");
            }
            catch (DecodeException)
            {
            }
        }

        RecordingTimeline timeline;
        try
        {
            timeline = RecordingTimeline.FromFile(file);
        }
        catch (DecodeException)
        {
            return; // not even a header
        }
        CheckTimeline(timeline, file.Length, input[0]);
        // A scan plays up to the End record, or up to where the tolerant reader stopped.
        var readEnd = read.Records.Count > 0 && read.Records[^1].Kind == StreamRecordKind.End ? read.Records[^1].FileOffset : read.ValidLength;
        if (!timeline.IsFromIndex && timeline.DataEnd != readEnd)
        {
            throw new FuzzFindingException($"a scan ends at {timeline.DataEnd}, the tolerant reader at {readEnd}");
        }

        // A scan fed in chunks, as the gateway scans a large file, agrees with a scan of the whole.
        var whole = RecordingTimeline.Scan(file);
        var scanner = new RecordingTimelineScanner();
        var at = 0;
        var available = 0;
        while (available < file.Length && !scanner.IsDone)
        {
            available = (int)Math.Min(file.Length, (long)available + chunk);
            var used = scanner.Append(file[at..available]);
            if (used < 0 || used > available - at) throw new FuzzFindingException($"the scanner used {used} of {available - at} bytes");
            at += used;
        }
        var chunked = scanner.Build();
        if (!chunked.SyncPoints.SequenceEqual(whole.SyncPoints) || chunked.DurationUs != whole.DurationUs || chunked.DataEnd != whole.DataEnd
            || chunked.ServerBytes != whole.ServerBytes || chunked.IsComplete != whole.IsComplete)
        {
            throw new FuzzFindingException("a chunked scan disagrees with a whole-file scan");
        }
    }

    private static void CheckTimeline(RecordingTimeline timeline, long fileLength, byte selector)
    {
        if (timeline.RecordsStart > timeline.DataEnd || timeline.DataEnd > fileLength)
        {
            throw new FuzzFindingException($"records {timeline.RecordsStart}..{timeline.DataEnd} of a {fileLength}-byte file");
        }
        var histogram = timeline.Histogram(1 + selector);
        long sum = 0;
        foreach (var b in histogram.Bytes)
        {
            if (b < 0) throw new FuzzFindingException("a histogram bucket is negative");
            sum += b;
        }
        if (sum != timeline.ServerBytes) throw new FuzzFindingException($"the histogram sums to {sum}, not {timeline.ServerBytes}");
        StreamSyncPoint? previous = null;
        foreach (var p in timeline.SyncPoints)
        {
            if (p.FileOffset < timeline.RecordsStart || p.FileOffset >= timeline.DataEnd || p.TimeMicroseconds > timeline.DurationUs
                || (previous is not null && (p.FileOffset <= previous.FileOffset || p.TimeMicroseconds < previous.TimeMicroseconds)))
            {
                throw new FuzzFindingException($"sync point at {p.FileOffset}, {p.TimeMicroseconds} us is out of order or outside the records");
            }
            previous = p;
        }
        foreach (var t in new[] { 0L, timeline.DurationUs / 3, timeline.DurationUs, long.MaxValue })
        {
            var range = timeline.SeekRange(t, 1 + (selector * 97L));
            var sync = timeline.SyncPointAtOrBefore(t);
            if (range.Start < timeline.RecordsStart || range.End > timeline.DataEnd || range.End < range.Start || range.SyncPoint != sync
                || (sync is not null && (sync.TimeMicroseconds > t || range.Start != sync.FileOffset)))
            {
                throw new FuzzFindingException($"seek range {range} for {t} us breaks its rules");
            }
        }
    }

    private static void RecordingReplay(byte[] input)
    {
        using var jpeg = NewJpegCodec();
        var observer = new RfbStreamObserver(new CountingSink(), new RfbStreamObserverOptions { MaxClipboardBytes = 64 * 1024, Jpeg = jpeg });
        var rest = input.AsSpan();
        try
        {
            while (rest.Length >= 2)
            {
                var direction = (rest[0] & 1) == 1 ? RfbStreamDirection.ServerToClient : RfbStreamDirection.ClientToServer;
                var n = Math.Min(rest[1], rest.Length - 2);
                observer.Observe(direction, rest.Slice(2, n));
                rest = rest[(2 + n)..];
                while (observer.TryDequeueEvent(out _))
                {
                }
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
