using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Oriel.Gateway.Audit;
using Oriel.Gateway.Desktop;
using Oriel.Gateway.Recordings;
using Oriel.Gateway.Sessions;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;
using Oriel.Recording;
using Oriel.Tdp;

namespace Oriel.Gateway.Tests;

/// <summary>
/// The terminal-session recorder on a fake clock, in front of a stand-in browser: what each TDP terminal message becomes in
/// the asciicast file (output, resize, input as the role and the protocol's secret-input notice say, exit), UTF-8 split
/// across messages, the header's size, the catalog row, what a failed write does in each mode, and a file cut off at any
/// byte still read line by line.
/// </summary>
public sealed class AsciicastRecorderTests : IDisposable
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

    internal static LiveSession Live(TimeProvider time, string id = "c0ffee01") => new(id, "uid-1", "alice", "shell", "ssh", SessionKinds.Rendered, "192.0.2.77", time.GetUtcNow());

    internal static ResolvedTarget Shell() => new() { Id = "shell", Name = "Shell", Settings = SshTargetSettings.Default, Host = "192.0.2.20", Port = 22 };

    /// <summary>A recorder, its tee in front of the browser stand-in, and the fixture behind it.</summary>
    private sealed class Harness : IDisposable
    {
        private Harness(RecordingServiceTests.Fixture fixture, LiveSession live, AsciicastRecorder recorder)
        {
            Fixture = fixture;
            Live = live;
            Recorder = recorder;
            Tee = recorder.WrapSender(Browser);
        }

        public RecordingServiceTests.Fixture Fixture { get; }
        public LiveSession Live { get; }
        public AsciicastRecorder Recorder { get; }
        public RecordingTdpSender Browser { get; } = new();
        public ITdpSender Tee { get; }

        public static async Task<Harness> StartAsync(string dir, TimeProvider time, RecordingMode mode = RecordingMode.BestEffort,
            InputRecording input = InputRecording.Redacted, Stream? disk = null)
        {
            var f = await RecordingServiceTests.NewAsync(dir, time);
            if (disk is not null) f.Service.OpenStream = _ => disk;
            var live = Live(time);
            var recorder = (await f.Service.StartAsciicastAsync(live, Shell(), RecordingServiceTests.Mode(mode, input), CancellationToken.None))!;
            return new Harness(f, live, recorder);
        }

        public ValueTask OutputAsync(string text) => Tee.SendAsync(new TerminalOutputMessage(Encoding.UTF8.GetBytes(text)));

        public ValueTask OutputAsync(byte[] bytes) => Tee.SendAsync(new TerminalOutputMessage(bytes));

        public void Type(string text) => Recorder.BrowserMessage(new TerminalInputMessage(Encoding.UTF8.GetBytes(text)));

        public void Resize(ushort columns, ushort rows) => Recorder.BrowserMessage(new TerminalResizeMessage(columns, rows, 800, 600));

        public async Task<AsciicastReadResult> FinishAsync(Sessions.SessionEndReason reason = Sessions.SessionEndReason.TargetClosed)
        {
            await Recorder.FinishAsync(reason, "The program exited.");
            return AsciicastReader.ReadAll(await File.ReadAllBytesAsync(Recorder.File.Path));
        }

        public void Dispose() => Recorder.Dispose();
    }

    private static AsciicastEvent O(long us, string text) => new(us, AsciicastEventCode.Output, text);

    [Fact]
    public async Task OutputResizesAndTheExit_AreRecorded_TheHeaderSizedByTheFirstResize_AndTheRowIsComplete()
    {
        using var h = await Harness.StartAsync(_dir, _time);
        Assert.Equal(h.Fixture.Paths.Asciicast(h.Live.Id), h.Recorder.File.Path);
        Assert.EndsWith($"{h.Live.Id}.cast", h.Recorder.File.Path, StringComparison.Ordinal);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        h.Resize(120, 40);
        _time.Advance(TimeSpan.FromMilliseconds(400));
        await h.OutputAsync("$ ");
        _time.Advance(TimeSpan.FromSeconds(1));
        await h.OutputAsync("echo \"hi\"\r\nhi\r\n\u001b[1;32m$\u001b[0m ");
        _time.Advance(TimeSpan.FromSeconds(1));
        h.Resize(100, 30);
        h.Resize(100, 30); // said again: nothing changed
        await h.Tee.SendAsync(new NotificationMessage("not a terminal message", Severity.Info)); // left out
        _time.Advance(TimeSpan.FromSeconds(1));
        await h.Tee.SendAsync(new TerminalExitMessage(TerminalExitKind.Exited, 3, "", ""));
        _time.Advance(TimeSpan.FromMilliseconds(250));
        var read = await h.FinishAsync();

        Assert.Equal(new AsciicastHeader { Width = 120, Height = 40, Timestamp = _time.Start.ToUnixTimeSeconds(), Title = "Shell · alice", Term = "xterm-256color" }, read.Header);
        Assert.Equal(
            [
                O(500_000, "$ "),
                O(1_500_000, "echo \"hi\"\r\nhi\r\n\u001b[1;32m$\u001b[0m "),
                new AsciicastEvent(2_500_000, AsciicastEventCode.Resize, "100x30"),
                new AsciicastEvent(3_500_000, AsciicastEventCode.Marker, "exit 3"),
            ],
            read.Events);
        Assert.Null(read.TruncatedAt);
        // The browser got everything, unchanged and in order.
        Assert.Equal([typeof(TerminalOutputMessage), typeof(TerminalOutputMessage), typeof(NotificationMessage), typeof(TerminalExitMessage)], h.Browser.Sent.Select(m => m.GetType()));

        var row = (await h.Fixture.Store.GetRecordingAsync(h.Live.Id, CancellationToken.None))!;
        var length = new FileInfo(h.Recorder.File.Path).Length;
        Assert.Equal((RecordingStatus.Complete, "asciicast", "ssh", length, 3750L, (string?)null), (row.Status, row.Kind, row.Protocol, row.SizeBytes, row.DurationMs, row.Problem));
        Assert.Equal(("shell", "Shell", "alice"), (row.TargetId, row.TargetName, row.UserName));
    }

    [Fact]
    public async Task ACharacterSplitAcrossMessages_IsWrittenWholeOnce_AndBytesThatAreNotUtf8_BecomeReplacementCharacters()
    {
        using var h = await Harness.StartAsync(_dir, _time);
        h.Resize(80, 24);
        var euro = "€"u8.ToArray(); // E2 82 AC
        var e = "é"u8.ToArray(); // C3 A9
        await h.OutputAsync([(byte)'a', e[0]]);
        _time.Advance(TimeSpan.FromMilliseconds(10));
        await h.OutputAsync([e[1], euro[0]]);
        _time.Advance(TimeSpan.FromMilliseconds(10));
        await h.OutputAsync([euro[1]]); // only the middle of a character: no event
        _time.Advance(TimeSpan.FromMilliseconds(10));
        // Sent as header and payload: the rest of the euro sign, an invalid byte, a good character.
        var tail = new byte[] { euro[2], 0xFF, (byte)'b' };
        var header = TdpCodec.Encode(new TerminalOutputMessage(tail))[..TerminalOutputMessage.HeaderSize];
        await h.Tee.SendFragmentedAsync(header, tail);
        _time.Advance(TimeSpan.FromMilliseconds(10));
        await h.OutputAsync([0xF0, 0x9F]); // half an emoji, and the session ends
        var read = await h.FinishAsync();

        Assert.Equal(
            [
                O(0, "a"),
                O(10_000, "é"),
                O(30_000, "€\uFFFDb"),
                O(40_000, "\uFFFD"), // held back at the end: written as one replacement character
            ],
            read.Events);
        Assert.Equal(5, h.Browser.Sent.Count); // the browser gets the bytes as they were
    }

    [Theory]
    [InlineData(InputRecording.Off)]
    [InlineData(InputRecording.Redacted)]
    [InlineData(InputRecording.Full)]
    public async Task TypedInput_IsRecordedOnlyWhenTheRoleSaysFull_AndNeverWhileTheProtocolSaysItIsSecret(InputRecording input)
    {
        using var h = await Harness.StartAsync(_dir, _time, input: input);
        h.Resize(80, 24);
        await h.OutputAsync("Password: ");
        h.Recorder.SecretInput(true);
        Assert.True(h.Recorder.SecretInputActive);
        _time.Advance(TimeSpan.FromMilliseconds(10));
        h.Type("hunter2");
        h.Type("\r");
        h.Recorder.SecretInput(false);
        _time.Advance(TimeSpan.FromMilliseconds(10));
        await h.OutputAsync("\r\n$ ");
        _time.Advance(TimeSpan.FromMilliseconds(10));
        h.Type("l");
        _time.Advance(TimeSpan.FromMilliseconds(10));
        h.Type("s\r");
        var read = await h.FinishAsync();

        var typed = read.Events.Where(ev => ev.Code == AsciicastEventCode.Input).ToList();
        if (input == InputRecording.Full)
        {
            Assert.Equal([new AsciicastEvent(30_000, AsciicastEventCode.Input, "l"), new AsciicastEvent(40_000, AsciicastEventCode.Input, "s\r")], typed);
        }
        else
        {
            Assert.Empty(typed);
        }
        Assert.Equal([O(0, "Password: "), O(20_000, "\r\n$ ")], read.Events.Where(ev => ev.Code == AsciicastEventCode.Output));
        var bytes = await File.ReadAllBytesAsync(h.Recorder.File.Path);
        Assert.True(bytes.AsSpan().IndexOf("hunter2"u8) < 0);
    }

    [Fact]
    public async Task OutputBeforeAnyResize_GivesAn80x24Header_AndTheLaterResizeIsAnEvent()
    {
        using var h = await Harness.StartAsync(_dir, _time);
        await h.OutputAsync("early\r\n");
        _time.Advance(TimeSpan.FromSeconds(1));
        h.Resize(80, 24); // the size the header already has
        h.Resize(132, 43);
        var read = await h.FinishAsync();
        Assert.Equal((80, 24), (read.Header!.Width, read.Header.Height));
        Assert.Equal([O(0, "early\r\n"), new AsciicastEvent(1_000_000, AsciicastEventCode.Resize, "132x43")], read.Events);
    }

    [Fact]
    public async Task ASessionThatRecordedNothing_StillEndsAsAValidFile()
    {
        using var h = await Harness.StartAsync(_dir, _time);
        _time.Advance(TimeSpan.FromSeconds(2));
        var read = await h.FinishAsync(Sessions.SessionEndReason.UserDisconnected);
        Assert.Equal((80, 24), (read.Header!.Width, read.Header.Height));
        Assert.Empty(read.Events);
        var row = (await h.Fixture.Store.GetRecordingAsync(h.Live.Id, CancellationToken.None))!;
        Assert.Equal((RecordingStatus.Complete, 2000L), (row.Status, row.DurationMs));
    }

    [Theory]
    [InlineData(TerminalExitKind.Signaled, 0u, "KILL", "", "signal KILL")]
    [InlineData(TerminalExitKind.Unknown, 0u, "", "", "ended")]
    [InlineData(TerminalExitKind.Exited, 0u, "", "The program exited with status 0.", "The program exited with status 0.")]
    public void TheExitMarker_SaysHowTheProgramEnded(TerminalExitKind kind, uint status, string signal, string message, string label) =>
        Assert.Equal(label, AsciicastRecorder.ExitLabel(new TerminalExitMessage(kind, status, signal, message)));

    [Fact]
    public async Task AQuietSessionsLastLines_ReachTheFileWithinAFlushInterval()
    {
        using var h = await Harness.StartAsync(_dir, _time);
        h.Resize(80, 24); // the header goes out at once
        var afterHeader = h.Recorder.File.FileLength;
        Assert.True(afterHeader > 0);
        await h.OutputAsync("quiet\r\n");
        Assert.Equal(afterHeader, h.Recorder.File.FileLength); // batched
        _time.Advance(RecordingFile.FlushInterval);
        Assert.True(h.Recorder.File.FileLength > afterHeader);
        var read = AsciicastReader.ReadAll(await File.ReadAllBytesAsync(h.Recorder.File.Path)); // as after a crash now
        Assert.Equal([O(0, "quiet\r\n")], read.Events);
    }

    [Fact]
    public async Task Required_AWriteThatFails_EndsTheSessionBeforeTheBrowserSeesMore_AndTheFileIsCutBackToWholeLines()
    {
        var disk = new FullDiskStream(capacity: 1 << 30);
        using var h = await Harness.StartAsync(_dir, _time, RecordingMode.Required, disk: disk);
        h.Resize(80, 24);
        await h.OutputAsync("first\r\n");
        _time.Advance(RecordingFile.FlushInterval); // the quiet batch is flushed
        var fitted = disk.Length;
        disk.Capacity = fitted + 10; // and now the disk is nearly full
        await h.OutputAsync("second line, longer than what fits\r\n"); // buffered
        _time.Advance(RecordingFile.FlushInterval); // its flush fails
        Assert.Equal("disk full", h.Recorder.File.Problem);
        h.Browser.Take();

        var failure = await Assert.ThrowsAsync<SessionFailure>(async () => await h.OutputAsync("third\r\n"));
        Assert.Equal(Sessions.SessionEndReason.RecordingFailed, failure.Reason);
        Assert.Equal("The session was ended: the recording could not be written (disk full); this target requires recording.", failure.UserMessage);
        Assert.Empty(h.Browser.Sent); // the output whose line failed never reached the browser
        Assert.Throws<SessionFailure>(() => h.Resize(100, 30)); // nothing goes on unrecorded

        await h.Recorder.FinishAsync(failure.Reason, failure.UserMessage);
        var row = (await h.Fixture.Store.GetRecordingAsync(h.Live.Id, CancellationToken.None))!;
        Assert.Equal((RecordingStatus.Incomplete, "disk full", fitted), (row.Status, row.Problem, row.SizeBytes));
        Assert.Equal(fitted, disk.Length); // cut back to the last batch written whole
        var read = AsciicastReader.ReadAll(disk.Bytes);
        Assert.Null(read.TruncatedAt);
        Assert.Equal([O(0, "first\r\n")], read.Events);
        var audited = (await h.Fixture.Audit.QueryAsync(new AuditQuery { Kind = AuditKinds.RecordingFailed })).Single();
        Assert.Equal(("asciicast", "required", "session ended"),
            (audited.Details!["kind"]!.GetValue<string>(), audited.Details["mode"]!.GetValue<string>(), audited.Details["consequence"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Required_ADiskWithNoRoomForTheHeader_EndsTheSessionAtTheFirstResize_BeforeAnyOutput()
    {
        var disk = new FullDiskStream(capacity: 0);
        using var h = await Harness.StartAsync(_dir, _time, RecordingMode.Required, disk: disk);
        var failure = Assert.Throws<SessionFailure>(() => h.Resize(80, 24));
        Assert.Equal(Sessions.SessionEndReason.RecordingFailed, failure.Reason);
        await Assert.ThrowsAsync<SessionFailure>(async () => await h.OutputAsync("$ "));
        Assert.Empty(h.Browser.Sent);
    }

    [Fact]
    public async Task BestEffort_AWriteThatFails_MarksTheRecordingIncomplete_AuditsIt_AndTheSessionGoesOn()
    {
        var disk = new FullDiskStream(capacity: 1 << 30);
        using var h = await Harness.StartAsync(_dir, _time, RecordingMode.BestEffort, disk: disk);
        h.Resize(80, 24);
        await h.OutputAsync("first\r\n");
        _time.Advance(RecordingFile.FlushInterval);
        var fitted = disk.Length;
        disk.Capacity = fitted + 5;
        await h.OutputAsync("second\r\n");
        _time.Advance(RecordingFile.FlushInterval); // fails
        await h.OutputAsync("third\r\n"); // the session goes on, unrecorded
        h.Resize(90, 30);
        Assert.Equal(3, h.Browser.Sent.Count);
        Assert.Equal(("disk full", 1), (h.Recorder.File.Problem, disk.Failures));

        await h.Recorder.FinishAsync(Sessions.SessionEndReason.UserDisconnected, "The browser left the session.");
        var row = (await h.Fixture.Store.GetRecordingAsync(h.Live.Id, CancellationToken.None))!;
        Assert.Equal((RecordingStatus.Incomplete, "disk full", fitted), (row.Status, row.Problem, row.SizeBytes));
        var audited = (await h.Fixture.Audit.QueryAsync(new AuditQuery { Kind = AuditKinds.RecordingFailed })).Single();
        Assert.Equal(("asciicast", "best-effort", "session continued unrecorded"),
            (audited.Details!["kind"]!.GetValue<string>(), audited.Details["mode"]!.GetValue<string>(), audited.Details["consequence"]!.GetValue<string>()));
        Assert.Equal([O(0, "first\r\n")], AsciicastReader.ReadAll(disk.Bytes).Events);
    }

    [Theory]
    [InlineData(RecordingMode.Required)]
    [InlineData(RecordingMode.BestEffort)]
    public async Task AFileThatCannotBeCreated_RefusesARequiredSession_AndABestEffortOneGoesOnUnrecorded(RecordingMode mode)
    {
        var f = await RecordingServiceTests.NewAsync(_dir, _time);
        f.Service.OpenStream = _ => throw new UnauthorizedAccessException("Access to the path is denied.");
        var live = Live(_time);
        var permissions = RecordingServiceTests.Mode(mode);
        if (mode == RecordingMode.Required)
        {
            var failure = await Assert.ThrowsAsync<SessionFailure>(() => f.Service.StartAsciicastAsync(live, Shell(), permissions, CancellationToken.None));
            Assert.Equal("The session was not started: the recording could not be opened (no permission to write); this target requires recording.", failure.UserMessage);
        }
        else
        {
            Assert.Null(await f.Service.StartAsciicastAsync(live, Shell(), permissions, CancellationToken.None));
        }
        Assert.Null(await f.Store.GetRecordingAsync(live.Id, CancellationToken.None));
        var audited = (await f.Audit.QueryAsync(new AuditQuery { Kind = AuditKinds.RecordingFailed })).Single();
        Assert.Equal(("asciicast", "opening"), (audited.Details!["kind"]!.GetValue<string>(), audited.Details["when"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Off_RecordsNothing()
    {
        var f = await RecordingServiceTests.NewAsync(_dir, _time);
        var live = Live(_time);
        Assert.Null(await f.Service.StartAsciicastAsync(live, Shell(), RecordingServiceTests.Mode(RecordingMode.Off), CancellationToken.None));
        Assert.False(File.Exists(f.Paths.Asciicast(live.Id)));
        Assert.Null(await f.Store.GetRecordingAsync(live.Id, CancellationToken.None));
    }

    [Fact]
    public async Task AFileCutOffAtAnyByte_ReadsLineByLine_UpToItsLastCompleteLine()
    {
        using var h = await Harness.StartAsync(_dir, _time, input: InputRecording.Full);
        h.Resize(100, 30);
        await h.OutputAsync("héllo \u001b[31mwörld\u001b[0m 😀\r\n");
        _time.Advance(TimeSpan.FromMilliseconds(5));
        h.Type("ä");
        h.Resize(90, 20);
        await h.Tee.SendAsync(new TerminalExitMessage(TerminalExitKind.Exited, 0, "", ""));
        var whole = await h.FinishAsync();
        var bytes = await File.ReadAllBytesAsync(h.Recorder.File.Path);
        Assert.Equal(4, whole.Events.Count);

        var lineEnds = Enumerable.Range(0, bytes.Length).Where(i => bytes[i] == (byte)'\n').Select(i => i + 1L).ToList();
        for (var cut = 1; cut < bytes.Length; cut++)
        {
            var read = AsciicastReader.ReadAll(bytes.AsSpan(0, cut));
            // Lines read: those whose newline is in; also one cut just before its newline (a whole JSON value).
            var lines = lineEnds.Count(end => end <= cut || end == cut + 1);
            var valid = lineEnds.Contains(cut + 1) ? cut : lineEnds.LastOrDefault(end => end <= cut);
            Assert.Equal(valid, read.ValidLength);
            Assert.Equal(valid == cut ? null : valid, read.TruncatedAt);
            Assert.Equal(whole.Events.Take(Math.Max(0, lines - 1)), read.Events);
        }
    }
}
