using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Oriel.Graphics;
using Oriel.Graphics.Jpeg;
using Oriel.Recording;
using Oriel.Rfb;
using Oriel.Rfb.Encodings;
using Oriel.Rfb.Replay;
using Oriel.Tdp;
using Oriel.Wire;

namespace Oriel.Gateway.Recordings;

/// <summary>
/// Turns a passthrough recording (kind <c>rfb-passthrough</c>: the raw RFB bytes stock noVNC exchanged with the
/// target) into a TDP recording (kind <c>tdp</c>), so the browser's one player plays both. The RFB stream goes
/// through <see cref="RfbStreamObserver"/> (the live engine's decoders); the framebuffer's damage and copies
/// collect in an <see cref="UpdateTracker"/>, and at each update boundary a <see cref="FrameEncoder"/> (the live
/// <see cref="Desktop.DesktopSurface"/>'s encoder: PNG tiles, JPEG where it pays when a codec is given, lossless
/// refinement of JPEG tiles once quiet) makes the TDP messages a live browser would have been sent, stamped with
/// the source record's time. Every <see cref="DefaultKeyframeInterval"/> of activity a keyframe (the whole screen
/// in PNG, the desktop size first, the cursor last) lets a player seek.
/// <para>
/// The source is read tolerantly, as a stream (no more than one record in memory): a file still being written or
/// cut short by a crash transcodes up to its last complete record. A session the replay cannot follow (an encoding
/// it does not decode, an encrypted security type, malformed RFB) gives <see cref="RecordingUnplayableException"/>
/// with the reason. The TDP header keeps the source's user, target, session and start time, and notes in its
/// metadata (<c>transcodedFrom</c>) which source bytes it was made from, so a cached copy can be checked against a
/// source that has grown. Not thread-safe; one instance per transcode.
/// </para>
/// </summary>
public sealed class PassthroughTranscoder : IFramebufferSink, IDisposable
{
    /// <summary>Activity between keyframes: a seek never replays more than about this much.</summary>
    public static readonly TimeSpan DefaultKeyframeInterval = TimeSpan.FromSeconds(5);

    /// <summary>Written in the metadata; a file made by another version of the transcoder is made again.</summary>
    public const int Version = 1;

    /// <summary>Metadata member naming the source: <c>{ "kind", "sourceBytes" (19 decimal digits), "transcoder" }</c>.</summary>
    public const string MetadataMember = "transcodedFrom";

    private const string What = "passthrough recording";

    /// <summary>Room for the largest header (12 + 65535 + 4 bytes) or the largest record frame (about 1 MiB + 23), twice over.</summary>
    private const int ReadBufferSize = 2 * (StreamRecordingFormat.MaxPayloadLength + 64 * 1024);

    /// <summary>Output is handed to the destination stream in pieces of about this size.</summary>
    private const int OutputFlushBytes = 1024 * 1024;

    private readonly Stream _destination;
    private readonly long _keyframeIntervalUs;
    private readonly RfbStreamObserver _observer;
    private readonly UpdateTracker _tracker = new(1, 1);
    private readonly FrameEncoder _encoder;
    private readonly FrameEncoder _keyframeEncoder;
    private readonly EncodedFrame _frame = new();
    private readonly EncodedFrame _keyframeFrame = new();
    private readonly ArrayBufferWriter<byte> _output = new(256 * 1024);
    private readonly ArrayBufferWriter<byte> _batch = new(64 * 1024);
    private StreamRecordingWriter? _writer;
    private long _batchTime;
    private byte[]? _cursor;
    private bool _desktopOpen;
    private bool _updateCompleted;
    private uint _frameId;
    private long _lastKeyframeUs;
    private int _frames;
    private int _keyframes;
    private SessionEndMarker? _sessionEnd;
    private long _sessionEndTime;

    private PassthroughTranscoder(Stream destination, JpegCodec? jpeg, TimeSpan keyframeInterval)
    {
        _destination = destination;
        _keyframeIntervalUs = keyframeInterval.Ticks / 10;
        _observer = new RfbStreamObserver(this, new RfbStreamObserverOptions { QueueEvents = true, Jpeg = jpeg });
        _encoder = new FrameEncoder(new FrameEncoderOptions { JpegEncoder = jpeg is null ? null : jpeg.Encode });
        _keyframeEncoder = new FrameEncoder(new FrameEncoderOptions { SkipUnchangedTiles = false });
    }

    /// <summary>
    /// Reads the first <paramref name="sourceLength"/> bytes of <paramref name="source"/> (an <c>rfb-passthrough</c>
    /// stream recording) and writes the TDP recording to <paramref name="destination"/>.
    /// </summary>
    /// <param name="jpeg">Decodes the recording's Tight JPEG rectangles and encodes JPEG tiles (not owned); null: a
    /// recording with JPEG rectangles is unplayable, and the tiles are all PNG.</param>
    /// <param name="keyframeInterval">Activity between keyframes; <see cref="DefaultKeyframeInterval"/> when null.</param>
    /// <exception cref="RecordingUnplayableException">Not a readable passthrough recording, or a session the replay cannot follow.</exception>
    public static PassthroughTranscodeResult Transcode(Stream source, long sourceLength, Stream destination, JpegCodec? jpeg, TimeSpan? keyframeInterval = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentOutOfRangeException.ThrowIfNegative(sourceLength);
        var interval = keyframeInterval ?? DefaultKeyframeInterval;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero, nameof(keyframeInterval));
        using var transcoder = new PassthroughTranscoder(destination, jpeg, interval);
        return transcoder.Run(source, sourceLength, ct);
    }

    /// <summary>
    /// The number of source bytes a TDP recording made by this transcoder (this <see cref="Version"/>) was made
    /// from, read from its header; null when the stream is not such a file (another version, another kind, damage).
    /// </summary>
    public static long? ReadSourceBytes(Stream transcoded)
    {
        ArgumentNullException.ThrowIfNull(transcoded);
        // The prefix says how long the header is (fields_length at offset 10); read that much and no more.
        Span<byte> prefix = stackalloc byte[StreamRecordingFormat.HeaderPrefixLength];
        if (transcoded.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false) < prefix.Length) return null;
        var buffer = new byte[StreamRecordingFormat.HeaderPrefixLength + ((prefix[10] << 8) | prefix[11]) + StreamRecordingFormat.ChecksumLength];
        prefix.CopyTo(buffer);
        var n = prefix.Length + transcoded.ReadAtLeast(buffer.AsSpan(prefix.Length), buffer.Length - prefix.Length, throwOnEndOfStream: false);
        try
        {
            if (!StreamRecordingHeader.TryDecode(buffer.AsSpan(0, n), out var header, out _) || header is null) return null;
            if (header.Kind != StreamRecordingHeader.TdpKind || header.Metadata.Length == 0) return null;
            if (JsonNode.Parse(header.Metadata) is not JsonObject meta || meta[MetadataMember] is not JsonObject from) return null;
            if (from["transcoder"]?.GetValue<int>() != Version || from["kind"]?.GetValue<string>() != StreamRecordingHeader.RfbPassthroughKind) return null;
            return from["sourceBytes"]?.GetValue<string>() is { Length: 19 } digits
                && long.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var bytes) ? bytes : null;
        }
        catch (Exception e) when (e is DecodeException or JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private PassthroughTranscodeResult Run(Stream source, long sourceLength, CancellationToken ct)
    {
        var buffer = new byte[ReadBufferSize];
        int start = 0, end = 0;
        var remaining = sourceLength;

        bool Fill()
        {
            if (start > 0)
            {
                buffer.AsSpan(start, end - start).CopyTo(buffer);
                end -= start;
                start = 0;
            }
            if (end == buffer.Length) throw new InvalidOperationException("a record is larger than the read buffer");
            if (remaining <= 0) return false;
            var n = source.Read(buffer, end, (int)Math.Min(buffer.Length - end, remaining));
            if (n <= 0)
            {
                remaining = 0;
                return false;
            }
            end += n;
            remaining -= n;
            return true;
        }

        var reader = new StreamRecordingReader();
        try
        {
            while (true)
            {
                if (reader.TryReadHeader(buffer.AsSpan(start, end - start), out var consumed))
                {
                    start += consumed;
                    break;
                }
                if (!Fill()) throw new RecordingUnplayableException("The recording has no complete header yet (the session may have only just started).");
            }
        }
        catch (DecodeException e)
        {
            throw new RecordingUnplayableException($"The file is not a readable recording: {e.Message}", e);
        }
        var sourceHeader = reader.Header!;
        if (sourceHeader.Kind != StreamRecordingHeader.RfbPassthroughKind)
        {
            throw new RecordingUnplayableException($"The recording is of kind '{sourceHeader.Kind}', not '{StreamRecordingHeader.RfbPassthroughKind}'.");
        }
        _writer = new StreamRecordingWriter(_output, OutputHeader(sourceHeader, sourceLength), new StreamRecordingWriterOptions
        {
            // Whole TDP messages per record, never split; Sync records only before keyframes.
            MaxDataRecordLength = StreamRecordingFormat.MaxPayloadLength,
            SyncIntervalMicroseconds = 0,
            SyncIntervalBytes = 0,
        });

        DecodeException? damage = null;
        var lastTime = 0L;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            StreamRecord record;
            bool ok;
            try
            {
                ok = reader.TryReadRecord(buffer.AsMemory(start, end - start), out record, out var consumed);
                start += ok ? consumed : 0;
            }
            catch (DecodeException e)
            {
                damage = e; // a torn tail or damage: everything before it is kept
                break;
            }
            if (!ok)
            {
                if (reader.IsEnded) break;
                if (!Fill())
                {
                    damage = new DecodeException("stream recording", reader.Position, end > start ? "truncated: the file ends inside a record" : "truncated: the file has no End record");
                    break;
                }
                continue;
            }
            lastTime = record.TimeMicroseconds;
            Handle(record);
            if (reader.IsEnded) break;
        }

        Finish(lastTime);
        return new PassthroughTranscodeResult(sourceLength, reader.IsEnded, damage, _frames, _keyframes, lastTime);
    }

    private void Handle(in StreamRecord record)
    {
        var t = record.TimeMicroseconds;
        switch (record.Kind)
        {
            case StreamRecordKind.ClientData:
            case StreamRecordKind.ServerData:
                RefineDue(t);
                Observe(record);
                DrainEvents(t);
                if (_updateCompleted && _observer.IsAtUpdateBoundary)
                {
                    // Like the live surface: a frame once the server's update is complete, never half of one.
                    _updateCompleted = false;
                    EmitFrame(t, Clock(t), keyframeAllowed: true);
                }
                break;
            case StreamRecordKind.SessionStart:
                FlushBatch();
                _writer!.AppendSessionStart(At(t));
                break;
            case StreamRecordKind.Note:
                FlushBatch();
                _writer!.AppendNote(At(t), NoteMarker.Decode(record.Payload.Span).Text);
                break;
            case StreamRecordKind.SessionEnd:
                // Written last, after what the end of the stream still draws.
                _sessionEnd = SessionEndMarker.Decode(record.Payload.Span);
                _sessionEndTime = t;
                break;
            default:
                break; // Sync (the TDP file has its own), Resize (the stream is authoritative), End, unknown ancillary kinds
        }
    }

    private void Observe(in StreamRecord record)
    {
        if (_observer.Phase == RfbPhase.Closed) return; // a recorded login failure: nothing more to show
        var direction = record.Kind == StreamRecordKind.ClientData ? RfbStreamDirection.ClientToServer : RfbStreamDirection.ServerToClient;
        try
        {
            _observer.Observe(direction, record.Payload.Span);
        }
        catch (RfbReplayUnsupportedException e)
        {
            throw new RecordingUnplayableException($"This passthrough recording cannot be played: {e.Message}.", e);
        }
        catch (DecodeException e)
        {
            throw new RecordingUnplayableException(
                $"This passthrough recording cannot be played: the RFB stream has something the replay does not decode (record at file offset {record.FileOffset}: {e.Message}).", e);
        }
    }

    /// <summary>Engine events to TDP: desktop sizes, cursor shapes, and a Note (never the text) for the server's clipboard.</summary>
    private void DrainEvents(long t)
    {
        while (_observer.TryDequeueEvent(out var ev))
        {
            switch (ev)
            {
                case RfbConnected connected:
                    _desktopOpen = true;
                    SetSize(t, connected.Width, connected.Height);
                    break;
                case RfbFramebufferResized resized:
                    SetSize(t, resized.Width, resized.Height);
                    break;
                case RfbUpdateCompleted:
                    _updateCompleted = true;
                    break;
                case RfbCursorShape cursor:
                    var message = new CursorShapeMessage((ushort)cursor.HotX, (ushort)cursor.HotY, (ushort)cursor.Width, (ushort)cursor.Height, cursor.Rgba);
                    _cursor = TdpCodec.Encode(message);
                    AddMessage(t, _cursor);
                    break;
                case RfbClipboardText clip:
                    FlushBatch();
                    _writer!.AppendNote(At(t), $"clipboard: {System.Text.Encoding.UTF8.GetByteCount(clip.Text)} bytes to the browser");
                    break;
                default:
                    break;
            }
        }
    }

    private void SetSize(long t, int width, int height)
    {
        _tracker.Resize(width, height);
        AddMessage(t, TdpCodec.Encode(new DesktopSizeMessage((uint)width, (uint)height)));
    }

    /// <summary>Lossless refinement on the recording's clock: lossy tiles quiet for the refine delay before <paramref name="t"/> are re-sent as PNG.</summary>
    private void RefineDue(long t)
    {
        if (!_desktopOpen || !_observer.IsAtUpdateBoundary) return;
        if (_encoder.NextRefinementDue is not { } due || due > Clock(t)) return;
        if (_encoder.RequestRefinement(due, _tracker) == 0) return;
        EmitFrame(Math.Max(Microseconds(due), LastTime), due, keyframeAllowed: true);
    }

    /// <summary>Encodes what changed since the previous frame, as the live surface sends it: copies, tiles, a frame marker.</summary>
    private void EmitFrame(long t, TimeSpan now, bool keyframeAllowed)
    {
        var fb = _observer.Framebuffer;
        if (fb is null) return;
        if (_tracker.Width != fb.Width || _tracker.Height != fb.Height) SetSize(t, fb.Width, fb.Height); // a guard: resizes come as events
        if (!_tracker.TryTakeUpdate(out var update)) return;
        _encoder.Encode(fb, update, _frame, now);
        if (_frame.Copies.IsEmpty && _frame.Tiles.IsEmpty) return;
        Span<byte> fixedMessage = stackalloc byte[CopyRectMessage.FixedSize];
        foreach (var c in _frame.Copies.Span)
        {
            var n = TdpCodec.Encode(new CopyRectMessage((uint)c.Source.X, (uint)c.Source.Y, (uint)c.Source.Width, (uint)c.Source.Height, (uint)c.Dx, (uint)c.Dy), fixedMessage);
            AddMessage(t, fixedMessage[..n]);
        }
        foreach (var tile in _frame.Tiles.Span) AddTile(t, tile);
        AddMessage(t, TdpCodec.Encode(new FrameMarkerMessage(++_frameId)));
        _frames++;
        if (keyframeAllowed && t - _lastKeyframeUs >= _keyframeIntervalUs) WriteKeyframe(t, fb);
    }

    /// <summary>The whole screen on an empty canvas: the desktop size, PNG tiles covering it, the cursor shape.</summary>
    private void WriteKeyframe(long t, Framebuffer fb)
    {
        FlushBatch();
        var messages = new List<ReadOnlyMemory<byte>> { TdpCodec.Encode(new DesktopSizeMessage((uint)fb.Width, (uint)fb.Height)) };
        Rect[] whole = [fb.Bounds];
        _keyframeEncoder.Encode(fb, new DesktopUpdate(fb.Width, fb.Height, true, ReadOnlyMemory<CopyOperation>.Empty, whole), _keyframeFrame, TimeSpan.Zero);
        foreach (var tile in _keyframeFrame.Tiles.Span)
        {
            var bytes = new byte[PngFrame2Message.HeaderSize + tile.Data.Length];
            WriteTileHeader(bytes, tile);
            tile.Data.Span.CopyTo(bytes.AsSpan(PngFrame2Message.HeaderSize));
            messages.Add(bytes);
        }
        if (_cursor is not null) messages.Add(_cursor);
        _writer!.AppendKeyframe(At(t), messages);
        _lastKeyframeUs = t;
        _keyframes++;
        FlushOutput(force: false);
    }

    /// <summary>The end of the readable source: what it still drew, every lossy tile refined, SessionEnd, End.</summary>
    private void Finish(long lastTime)
    {
        DrainEvents(lastTime);
        if (_desktopOpen)
        {
            // A keyframe only on a whole screen: not when the source stops in the middle of an update.
            var whole = _observer.IsAtUpdateBoundary;
            var now = Clock(lastTime);
            EmitFrame(lastTime, now, keyframeAllowed: whole);
            if (_encoder.LossyCells > 0 && _encoder.RequestRefinement(now + _encoder.Options.RefineDelay, _tracker) > 0)
            {
                EmitFrame(lastTime, now + _encoder.Options.RefineDelay, keyframeAllowed: whole);
            }
        }
        FlushBatch();
        var endTime = Math.Max(lastTime, LastTime);
        if (_sessionEnd is { } sessionEnd)
        {
            _writer!.AppendSessionEnd(Math.Max(_sessionEndTime, LastTime), sessionEnd.Reason, sessionEnd.Text);
        }
        _writer!.Finish(endTime);
        FlushOutput(force: true);
    }

    private void AddTile(long t, in EncodedTile tile)
    {
        var size = PngFrame2Message.HeaderSize + tile.Data.Length;
        var span = Reserve(t, size);
        WriteTileHeader(span, tile);
        tile.Data.Span.CopyTo(span[PngFrame2Message.HeaderSize..]);
        _batch.Advance(size);
    }

    private static void WriteTileHeader(Span<byte> destination, in EncodedTile tile)
    {
        var a = tile.Area;
        if (tile.Format == EncodedTileFormat.Jpeg)
        {
            JpegFrameMessage.WriteHeader(destination, (uint)a.X, (uint)a.Y, (uint)a.Right, (uint)a.Bottom, tile.Data.Length);
        }
        else
        {
            PngFrame2Message.WriteHeader(destination, (uint)a.X, (uint)a.Y, (uint)a.Right, (uint)a.Bottom, tile.Data.Length);
        }
    }

    private void AddMessage(long t, ReadOnlySpan<byte> message)
    {
        message.CopyTo(Reserve(t, message.Length));
        _batch.Advance(message.Length);
    }

    /// <summary>Room for one whole message in the batch of time <paramref name="t"/>; a batch is one ServerData record, at most 1 MiB.</summary>
    private Span<byte> Reserve(long t, int size)
    {
        if (size > StreamRecordingFormat.MaxPayloadLength) throw new InvalidOperationException($"a TDP message of {size} bytes does not fit in a record");
        if (t != _batchTime || _batch.WrittenCount + size > StreamRecordingFormat.MaxPayloadLength) FlushBatch();
        _batchTime = Math.Max(t, _batchTime);
        return _batch.GetSpan(size)[..size];
    }

    private void FlushBatch()
    {
        if (_batch.WrittenCount == 0) return;
        _writer!.AppendData(StreamDirection.ServerToClient, At(_batchTime), _batch.WrittenSpan);
        _batch.ResetWrittenCount();
        FlushOutput(force: false);
    }

    private void FlushOutput(bool force)
    {
        if (_output.WrittenCount == 0 || (!force && _output.WrittenCount < OutputFlushBytes)) return;
        _destination.Write(_output.WrittenSpan);
        _output.ResetWrittenCount();
    }

    /// <summary>The time of the next record: never before what was written.</summary>
    private long At(long t) => Math.Max(t, _writer!.TimeMicroseconds);

    private long LastTime => Math.Max(_writer!.TimeMicroseconds, _batchTime);

    /// <summary>The recording's microseconds as the encoder's clock (capped far beyond any real session).</summary>
    private static TimeSpan Clock(long us) => TimeSpan.FromTicks(Math.Min(us, long.MaxValue / 100) * 10);

    private static long Microseconds(TimeSpan t) => t.Ticks / 10;

    /// <summary>The source's user, target, session and start; metadata: the source's, plus what it was made from.</summary>
    private static StreamRecordingHeader OutputHeader(StreamRecordingHeader source, long sourceLength)
    {
        var from = new JsonObject
        {
            ["kind"] = source.Kind,
            // Fixed width, so the header (and every offset after it) has the same length whatever the source's size:
            // a file re-made from a source that grew starts with the same bytes as the one it replaces.
            ["sourceBytes"] = sourceLength.ToString("D19", System.Globalization.CultureInfo.InvariantCulture),
            ["transcoder"] = Version,
        };
        JsonObject meta;
        try
        {
            meta = source.Metadata.Length > 0 && JsonNode.Parse(source.Metadata) is JsonObject parsed ? parsed : new JsonObject();
        }
        catch (JsonException)
        {
            meta = new JsonObject();
        }
        meta[MetadataMember] = from;
        var json = meta.ToJsonString();
        if (System.Text.Encoding.UTF8.GetByteCount(json) > StreamRecordingFormat.MaxMetadataLength)
        {
            json = new JsonObject { [MetadataMember] = from.DeepClone() }.ToJsonString();
        }
        return new StreamRecordingHeader
        {
            Kind = StreamRecordingHeader.TdpKind,
            SessionId = source.SessionId,
            TargetId = source.TargetId,
            User = source.User,
            StartUnixMilliseconds = source.StartUnixMilliseconds,
            Metadata = json,
        };
    }

    void IFramebufferSink.Damaged(Rect area) => _tracker.AddDamage(area);

    void IFramebufferSink.Copied(Rect source, int dx, int dy) => _tracker.AddCopy(source, dx, dy);

    public void Dispose()
    {
        _frame.Dispose();
        _keyframeFrame.Dispose();
    }
}
