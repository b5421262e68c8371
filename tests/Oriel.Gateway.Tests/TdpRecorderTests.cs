using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Desktop;
using Oriel.Gateway.Recordings;
using Oriel.Gateway.Sessions;
using Oriel.Gateway.Storage;
using Oriel.Graphics;
using Oriel.Recording;
using Oriel.Tdp;
using Oriel.Testing;

namespace Oriel.Gateway.Tests;

/// <summary>
/// The rendered-session recorder on a fake clock, between a real <see cref="DesktopSurface"/> and a stand-in browser:
/// what is recorded of each direction, when keyframes are taken and what they hold, clipboard contents never, and what
/// a failed write does in each mode.
/// </summary>
public sealed class TdpRecorderTests : IDisposable
{
    private readonly string _dir = TestGateway.NewDataDir();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    /// <summary>A recorded surface: the framebuffer the test paints, the recorder's tee in front of the browser stand-in.</summary>
    private sealed class Harness : IDisposable
    {
        private uint _nextFrame = 1;

        private Harness(RecordingServiceTests.Fixture fixture, LiveSession live, TdpRecorder recorder, int width, int height, FakeTimeProvider time)
        {
            Fixture = fixture;
            Live = live;
            Recorder = recorder;
            Framebuffer = new Framebuffer(width, height);
            Surface = new DesktopSurface(recorder.WrapSender(Browser), () => Framebuffer, () => { }, live, new FrameEncoderOptions(), time);
        }

        public RecordingServiceTests.Fixture Fixture { get; }
        public LiveSession Live { get; }
        public TdpRecorder Recorder { get; }
        public RecordingTdpSender Browser { get; } = new();
        public Framebuffer Framebuffer { get; }
        public DesktopSurface Surface { get; }

        public static async Task<Harness> StartAsync(string dir, FakeTimeProvider time, RecordingMode mode = RecordingMode.BestEffort,
            InputRecording input = InputRecording.Redacted, Stream? disk = null, int width = 300, int height = 200)
        {
            var f = await RecordingServiceTests.NewAsync(dir, time);
            if (disk is not null) f.Service.OpenStream = _ => disk;
            var live = RecordingServiceTests.Live(time);
            var recorder = (await f.Service.StartTdpAsync(live, RecordingServiceTests.Desk(), RecordingServiceTests.Mode(mode, input), CancellationToken.None))!;
            var h = new Harness(f, live, recorder, width, height, time);
            recorder.SurfaceOpened(h.Surface);
            await h.Surface.OpenAsync(width, height, updatePending: true);
            return h;
        }

        /// <summary>Paints a stripe pattern in a new colour over <paramref name="area"/> and completes the update; the browser acknowledges the frame.</summary>
        public async Task PaintAsync(Rect area, uint color)
        {
            for (var y = area.Y; y < area.Bottom; y++)
            {
                for (var x = area.X; x < area.Right; x++)
                {
                    Framebuffer.At(x, y) = ((x / 7) + (y / 5)) % 3 == 0 ? color : (color ^ 0x00FFFFFF) & 0x00FFFFFF;
                }
            }
            Surface.Damage(area);
            await Surface.UpdateCompletedAsync();
            await Surface.AcknowledgeAsync(_nextFrame++);
        }

        public async Task<StreamRecordingReadResult> FinishAsync()
        {
            await Fixture.Service.CompleteAsync(Recorder.File, Sessions.SessionEndReason.UserDisconnected, "The browser left the session.");
            return StreamRecordingReader.ReadAll(await File.ReadAllBytesAsync(Recorder.File.Path));
        }

        public void Dispose()
        {
            Surface.Dispose();
            Recorder.Dispose();
        }
    }

    [Fact]
    public async Task EveryMessageTheBrowserIsSent_IsRecordedWhole_InOrder_AndTheFileIsComplete()
    {
        using var h = await Harness.StartAsync(_dir, _time);
        await h.PaintAsync(new Rect(0, 0, 300, 200), 0x00336699);
        _time.Advance(TimeSpan.FromMilliseconds(40));
        await h.PaintAsync(new Rect(10, 10, 50, 40), 0x00AA2200);
        await h.Surface.CursorAsync(1, 2, 4, 4, new byte[64]);
        var read = await h.FinishAsync();

        Assert.True(read.IsComplete);
        Assert.Equal("tdp", read.Header!.Kind);
        Assert.Equal(h.Live.Id, read.Header.SessionId);
        var recorded = read.Records.Where(r => r.Kind == StreamRecordKind.ServerData).Select(r => r.Payload.ToArray()).ToList();
        Assert.Equal(h.Browser.Sent.Select(TdpCodec.Encode), recorded); // one record per message, exactly what the browser got
        Assert.Equal(StreamRecordKind.SessionStart, read.Records[0].Kind);
        Assert.Equal(40_000, read.Records.Last(r => r.Kind == StreamRecordKind.ServerData && TdpCodec.Decode(r.Payload.Span) is FrameMarkerMessage).TimeMicroseconds);

        var row = (await h.Fixture.Store.GetRecordingAsync(h.Live.Id, CancellationToken.None))!;
        Assert.Equal((RecordingStatus.Complete, "tdp", new FileInfo(h.Recorder.File.Path).Length), (row.Status, row.Kind, row.SizeBytes));

        // Linear play gives the framebuffer.
        var player = TdpTestPlayer.PlayLinear(read.Records);
        Assert.Equal(h.Framebuffer.Pixels.ToArray(), player.Pixels);
    }

    [Fact]
    public async Task Keyframes_AtTheFirstFrame_ThenAtLeastEveryInterval_WhileTheScreenChanges_AndNotWhileItIsStill()
    {
        using var h = await Harness.StartAsync(_dir, _time);
        Assert.Equal(TimeSpan.FromSeconds(5), h.Recorder.KeyframeInterval);
        await h.PaintAsync(new Rect(0, 0, 300, 200), 0x00102030);
        Assert.Equal(1, h.Recorder.Keyframes); // the first frame

        for (var i = 1; i <= 12; i++) // a change every second for 12 s: keyframes at 5 s and 10 s
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await h.PaintAsync(new Rect(i * 10, i * 5, 40, 30), 0x00102030u + (uint)i);
        }
        Assert.Equal(3, h.Recorder.Keyframes);

        _time.Advance(TimeSpan.FromMinutes(5)); // still: nothing to take
        Assert.Equal(3, h.Recorder.Keyframes);
        await h.PaintAsync(new Rect(0, 0, 20, 20), 0x00FFFFFF); // the first change after a long still: a keyframe at once
        Assert.Equal(4, h.Recorder.Keyframes);
        _time.Advance(TimeSpan.FromSeconds(1));
        await h.PaintAsync(new Rect(0, 0, 20, 20), 0x00000000);
        Assert.Equal(4, h.Recorder.Keyframes);

        var read = await h.FinishAsync();
        var starts = TdpTestPlayer.KeyframeStarts(read.Records);
        Assert.Equal(4, starts.Count);
        Assert.Equal([0L, 5_000_000L, 10_000_000L, 312_000_000L], starts.Select(i => read.Records[i].TimeMicroseconds));
        Assert.Equal(starts.Select(i => read.Records[i].FileOffset), read.End!.Index.Select(p => p.FileOffset)); // the index lists the keyframes
        var timeline = RecordingTimeline.FromFile(await File.ReadAllBytesAsync(h.Recorder.File.Path));
        Assert.Equal(4, timeline.SyncPoints.Count);

        // Seeking: from any keyframe, its messages and the frames after it give the final screen.
        var final = h.Framebuffer.Pixels.ToArray();
        foreach (var start in starts)
        {
            Assert.Equal(final, TdpTestPlayer.PlayFromKeyframe(read.Records, start).Pixels);
        }
    }

    [Fact]
    public async Task AKeyframe_DrawsTheWholeScreenOnAnEmptyCanvas_SizeFirst_CursorLast_WithoutTouchingTheBrowsersEncoder()
    {
        using var h = await Harness.StartAsync(_dir, _time, width: 600, height: 300);
        await h.Surface.CursorAsync(3, 4, 8, 8, Enumerable.Range(0, 256).Select(i => (byte)i).ToArray());
        await h.PaintAsync(new Rect(0, 0, 600, 300), 0x00445566);
        _time.Advance(TimeSpan.FromSeconds(6));
        h.Browser.Take();
        await h.PaintAsync(new Rect(520, 260, 20, 20), 0x00010203); // a small change: the browser gets one small tile
        var sent = h.Browser.Take();
        Assert.Single(sent.OfType<PngFrame2Message>()); // the keyframe's full-screen tiles did not go to the browser or its cache
        Assert.Equal(2, h.Recorder.Keyframes);

        var read = await h.FinishAsync();
        var second = TdpTestPlayer.KeyframeStarts(read.Records)[1];
        var parts = read.Records.Skip(second + 1).TakeWhile(r => r.Kind == StreamRecordKind.Keyframe).ToList();
        var messages = parts.SelectMany(p => TdpMessageSplitter.Split(KeyframePart.ParseMessages(p.Payload, out _))).Select(m => TdpCodec.Decode(m.Span)).ToList();
        Assert.Equal(new DesktopSizeMessage(600, 300), messages[0]);
        var tiles = messages.OfType<PngFrame2Message>().ToList();
        Assert.Equal(6, tiles.Count); // 256-pixel tiles: 3 x 2
        Assert.Equal(600L * 300, tiles.Sum(t => (long)(t.Right - t.Left) * (t.Bottom - t.Top)));
        var cursor = Assert.IsType<CursorShapeMessage>(messages[^1]);
        Assert.Equal((3, 4, 8, 8), (cursor.HotspotX, cursor.HotspotY, cursor.Width, cursor.Height));

        var alone = TdpTestPlayer.PlayFromKeyframe(read.Records, second, endIndex: second + 1 + parts.Count);
        Assert.Equal(h.Framebuffer.Pixels.ToArray(), alone.Pixels);
    }

    [Fact]
    public async Task NoKeyframe_AtAFrameBoundary_WhileTheSurfaceHasPendingChanges()
    {
        using var h = await Harness.StartAsync(_dir, _time);
        var tee = h.Recorder.WrapSender(h.Browser);
        h.Surface.Damage(new Rect(0, 0, 10, 10)); // not sent yet: the browser's canvas is not the framebuffer
        await tee.SendAsync(new FrameMarkerMessage(99));
        Assert.Equal(0, h.Recorder.Keyframes);
        await h.PaintAsync(new Rect(0, 0, 300, 200), 0x00123456);
        Assert.Equal(1, h.Recorder.Keyframes);
    }

    [Theory]
    [InlineData(InputRecording.Off)]
    [InlineData(InputRecording.Redacted)]
    [InlineData(InputRecording.Full)]
    public async Task Input_IsRecordedAsTheRoleSays_KeysRedactedToTheirTiming(InputRecording input)
    {
        using var h = await Harness.StartAsync(_dir, _time, input: input);
        TdpMessage[] fromBrowser =
        [
            new MouseMoveMessage(10, 20),
            new MouseButtonMessage(MouseButton.Left, ButtonState.Pressed),
            new MouseWheelMessage(WheelAxis.Vertical, -50),
            new KeysymInputMessage(0x61, 38, KeyState.Pressed),
            new KeysymInputMessage(0x61, 38, KeyState.Released),
            new KeyboardInputMessage(30, KeyState.Pressed),
            new FrameAckMessage(1),
            new ClientScreenSpecMessage(800, 600),
        ];
        foreach (var m in fromBrowser)
        {
            _time.Advance(TimeSpan.FromMilliseconds(10));
            h.Recorder.BrowserMessage(m);
        }
        var read = await h.FinishAsync();
        var recorded = read.Records.Where(r => r.Kind == StreamRecordKind.ClientData).Select(r => TdpCodec.Decode(r.Payload.Span)).ToList();
        TdpMessage[] expected = input switch
        {
            InputRecording.Off => [],
            InputRecording.Redacted =>
            [
                new MouseMoveMessage(10, 20),
                new MouseButtonMessage(MouseButton.Left, ButtonState.Pressed),
                new MouseWheelMessage(WheelAxis.Vertical, -50),
                new KeysymInputMessage(0, 0, KeyState.Pressed),
                new KeysymInputMessage(0, 0, KeyState.Released),
                new KeyboardInputMessage(0, KeyState.Pressed),
            ],
            _ => fromBrowser,
        };
        Assert.Equal(expected, recorded);
        if (input == InputRecording.Redacted)
        {
            Assert.Equal([40_000L, 50_000L], read.Records.Where(r => r.Kind == StreamRecordKind.ClientData).Skip(3).Take(2).Select(r => r.TimeMicroseconds));
        }
        Assert.Contains($"\"recordInput\":\"{RecordingSettingNames.ToText(input)}\"", read.Header!.Metadata, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClipboardContents_AreNeverRecorded_ANoteSaysHowMuchWentWhichWay()
    {
        using var h = await Harness.StartAsync(_dir, _time, input: InputRecording.Full);
        var toBrowser = Encoding.UTF8.GetBytes("remote secret clipboard text 1234");
        var fromBrowser = Encoding.UTF8.GetBytes("local secret clipboard text 98765");
        var tee = h.Recorder.WrapSender(h.Browser);
        await tee.SendAsync(new ClipboardDataMessage(toBrowser));
        h.Recorder.BrowserMessage(new ClipboardDataMessage(fromBrowser));
        Assert.Equal(toBrowser, Assert.IsType<ClipboardDataMessage>(h.Browser.Sent[^1]).Data); // the browser still gets it
        var read = await h.FinishAsync();

        var bytes = await File.ReadAllBytesAsync(h.Recorder.File.Path);
        Assert.True(bytes.AsSpan().IndexOf("secret"u8) < 0);
        var notes = read.Records.Where(r => r.Kind == StreamRecordKind.Note).Select(r => Encoding.UTF8.GetString(r.Payload.Span)).ToList();
        Assert.Contains(notes, n => n.EndsWith($"clipboard: {toBrowser.Length} bytes to the browser", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.EndsWith($"clipboard: {fromBrowser.Length} bytes from the browser", StringComparison.Ordinal));
        Assert.DoesNotContain(read.Records, r => r.IsData && TdpCodec.Decode(r.Payload.Span) is ClipboardDataMessage);
    }

    [Fact]
    public async Task Required_AWriteThatFails_EndsTheSessionBeforeTheBrowserSeesMore_AndTheFileStaysReadable()
    {
        var disk = new FullDiskStream(capacity: 1 << 30);
        using var h = await Harness.StartAsync(_dir, _time, RecordingMode.Required, disk: disk);
        await h.PaintAsync(new Rect(0, 0, 300, 200), 0x00102030);
        _time.Advance(RecordingFile.FlushInterval); // the quiet batch is flushed
        var fitted = disk.Length;
        disk.Capacity = fitted; // and now the disk is full
        await h.PaintAsync(new Rect(0, 0, 10, 10), 0x00405060);
        _time.Advance(RecordingFile.FlushInterval); // its flush fails
        Assert.Equal("disk full", h.Recorder.File.Problem);
        h.Browser.Take();

        var failure = await Assert.ThrowsAsync<SessionFailure>(() => h.PaintAsync(new Rect(0, 0, 300, 200), 0x00708090));
        Assert.Equal(Sessions.SessionEndReason.RecordingFailed, failure.Reason);
        Assert.Equal("The session was ended: the recording could not be written (disk full); this target requires recording.", failure.UserMessage);
        Assert.Empty(h.Browser.Take().OfType<FrameMarkerMessage>()); // the frame whose record failed never reached the browser
        await Assert.ThrowsAsync<SessionFailure>(async () => await h.Recorder.WrapSender(h.Browser).SendAsync(new NotificationMessage("x", Severity.Info)));
        Assert.Empty(h.Browser.Sent);

        await h.Fixture.Service.CompleteAsync(h.Recorder.File, failure.Reason, failure.UserMessage);
        var row = (await h.Fixture.Store.GetRecordingAsync(h.Live.Id, CancellationToken.None))!;
        Assert.Equal((RecordingStatus.Incomplete, "disk full", fitted), (row.Status, row.Problem, row.SizeBytes));
        var read = StreamRecordingReader.ReadAll(disk.Bytes, StreamRecordingReadMode.Tolerant);
        Assert.Null(read.Error);
        Assert.Equal(fitted, read.ValidLength);
        Assert.Equal(1, TdpTestPlayer.PlayLinear(read.Records).Frames); // the second frame was in the batch that failed
    }

    [Fact]
    public async Task BestEffort_AWriteThatFails_MarksTheRecordingIncomplete_AuditsIt_AndTheSessionGoesOn()
    {
        var disk = new FullDiskStream(capacity: 1 << 30);
        using var h = await Harness.StartAsync(_dir, _time, RecordingMode.BestEffort, disk: disk);
        await h.PaintAsync(new Rect(0, 0, 300, 200), 0x00102030);
        _time.Advance(RecordingFile.FlushInterval); // the quiet batch is flushed
        var fitted = disk.Length;
        disk.Capacity = fitted + 100;
        h.Browser.Take();

        await h.PaintAsync(new Rect(0, 0, 300, 200), 0x00708090); // buffered, then its flush fails: the frame still reached the browser
        _time.Advance(RecordingFile.FlushInterval);
        Assert.Contains(new FrameMarkerMessage(2), h.Browser.Take());
        _time.Advance(TimeSpan.FromSeconds(10));
        await h.PaintAsync(new Rect(0, 0, 50, 50), 0x00112233); // the session goes on, unrecorded
        Assert.Contains(new FrameMarkerMessage(3), h.Browser.Take());
        Assert.Equal("disk full", h.Recorder.File.Problem);
        Assert.Equal(1, disk.Failures);

        await h.Fixture.Service.CompleteAsync(h.Recorder.File, Sessions.SessionEndReason.UserDisconnected, "The browser left the session.");
        var row = (await h.Fixture.Store.GetRecordingAsync(h.Live.Id, CancellationToken.None))!;
        Assert.Equal((RecordingStatus.Incomplete, "disk full", fitted), (row.Status, row.Problem, row.SizeBytes));
        var audited = (await h.Fixture.Audit.QueryAsync(new AuditQuery { Kind = AuditKinds.RecordingFailed })).Single();
        Assert.Equal(("tdp", "best-effort", "session continued unrecorded"),
            (audited.Details!["kind"]!.GetValue<string>(), audited.Details["mode"]!.GetValue<string>(), audited.Details["consequence"]!.GetValue<string>()));
        Assert.Null(StreamRecordingReader.ReadAll(disk.Bytes, StreamRecordingReadMode.Tolerant).Error);
    }
}
