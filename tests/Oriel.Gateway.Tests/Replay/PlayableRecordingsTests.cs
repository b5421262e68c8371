using Microsoft.Extensions.Logging.Abstractions;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Hosting;
using Oriel.Gateway.Recordings;
using Oriel.Recording;
using Oriel.Testing;

namespace Oriel.Gateway.Tests.Replay;

/// <summary>
/// <see cref="PlayableRecordings"/>: the playable file of each kind, the transcoded file made once and kept,
/// callers at the same time sharing one transcode, a source that grew made again, failures remembered.
/// </summary>
public sealed class PlayableRecordingsTests : IDisposable
{
    private const long Second = 1_000_000;
    private const string Passthrough = StreamRecordingHeader.RfbPassthroughKind;

    private readonly string _dir = TestGateway.NewDataDir();
    private readonly RecordingPaths _paths;

    public PlayableRecordingsTests()
    {
        _paths = new RecordingPaths(new GatewayOptions { DataDirectory = _dir });
        _paths.EnsureDirectory();
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private PlayableRecordings NewService() => new(_paths, JpegSupport.None, NullLogger<PlayableRecordings>.Instance);

    private static PassthroughRecordingBuilder Activity(int updates, string sessionId = "abc1")
    {
        var b = new PassthroughRecordingBuilder(160, 100, sessionId);
        for (var i = 0; i < updates; i++)
        {
            var colour = 0x0A1B2Cu * (uint)(i + 1);
            b.Update(Second + (i * Second / 2), PassthroughRecordingBuilder.Raw(i * 10 % 120, i * 7 % 70, 40, 30, (x, y) => colour + (uint)x));
        }
        return b;
    }

    [Fact]
    public async Task CallersAtTheSameTimeShareOneTranscode()
    {
        var source = Activity(20).Finish(12 * Second);
        await File.WriteAllBytesAsync(_paths.StreamRecording("abc1"), source);
        using var playable = NewService();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = 0;
        playable.TranscodeStarting = async ct =>
        {
            Interlocked.Increment(ref started);
            await gate.Task.WaitAsync(ct);
        };

        var callers = Enumerable.Range(0, 8).Select(_ => playable.GetTdpFileAsync("abc1", Passthrough, CancellationToken.None)).ToList();
        using (var impatient = new CancellationTokenSource())
        {
            var leaving = playable.GetTdpFileAsync("abc1", Passthrough, impatient.Token);
            await impatient.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving); // its wait ends; the shared transcode goes on
        }
        Assert.All(callers, c => Assert.False(c.IsCompleted));
        gate.SetResult();
        var paths = await Task.WhenAll(callers);

        Assert.All(paths, p => Assert.Equal(_paths.TdpReplay("abc1"), p));
        Assert.Equal(1, playable.TranscodeCount);
        Assert.Equal(1, started);
        var playback = TdpRecordingPlayback.Play(await File.ReadAllBytesAsync(paths[0]));
        Assert.Equal(0, playback.Canvas.CountDifferences(RecordingReplayer.Replay(source).Observer.Framebuffer!.Pixels, out _));
        Assert.Empty(Directory.GetFiles(_paths.Directory, "*.tmp"));

        // Asked again, and by a new service (a restarted gateway): the file is kept.
        Assert.Equal(paths[0], await playable.GetTdpFileAsync("abc1", Passthrough, CancellationToken.None));
        Assert.Equal(1, playable.TranscodeCount);
        using var restarted = NewService();
        Assert.Equal(paths[0], await restarted.GetTdpFileAsync("abc1", Passthrough, CancellationToken.None));
        Assert.Equal(0, restarted.TranscodeCount);
    }

    [Fact]
    public async Task ASourceThatGrewIsTranscodedAgain()
    {
        var builder = Activity(6);
        var file = _paths.StreamRecording("abc1");
        await File.WriteAllBytesAsync(file, builder.Incomplete()); // the session is still being recorded
        using var playable = NewService();
        var first = await playable.GetTdpFileAsync("abc1", Passthrough, CancellationToken.None);
        var beforeBytes = await File.ReadAllBytesAsync(first);
        var before = TdpRecordingPlayback.Play(beforeBytes);
        Assert.Equal(1, playable.TranscodeCount);
        await playable.GetTdpFileAsync("abc1", Passthrough, CancellationToken.None);
        Assert.Equal(1, playable.TranscodeCount); // unchanged source: cached

        for (var i = 0; i < 10; i++)
        {
            builder.Update((5 * Second) + (i * Second), PassthroughRecordingBuilder.Raw(100, 60, 60, 40, (x, y) => 0x00FF00u + (uint)(i * y)));
        }
        var grown = builder.Finish(16 * Second);
        await File.WriteAllBytesAsync(file, grown);
        var second = await playable.GetTdpFileAsync("abc1", Passthrough, CancellationToken.None);
        Assert.Equal(first, second);
        Assert.Equal(2, playable.TranscodeCount);
        var after = TdpRecordingPlayback.Play(await File.ReadAllBytesAsync(second));
        // The re-made file has a header of the same length and the same records up to where the shorter source's last update ended.
        Assert.Equal(before.Read.Records[0].FileOffset, after.Read.Records[0].FileOffset);
        var lastFrame = before.Read.Records.Last(r => r.Kind == StreamRecordKind.ServerData && r.TimeMicroseconds < before.FrameTimes[^1]);
        var afterBytes = await File.ReadAllBytesAsync(second);
        var start = (int)before.Read.Records[0].FileOffset;
        Assert.Equal(beforeBytes.AsSpan(start, (int)lastFrame.FileOffset - start).ToArray(), afterBytes.AsSpan(start, (int)lastFrame.FileOffset - start).ToArray());
        Assert.True(after.FrameTimes.Count > before.FrameTimes.Count);
        Assert.Equal(16 * Second, after.Read.End!.DurationMicroseconds);
        Assert.Equal(grown.Length, PassthroughTranscoder.ReadSourceBytes(File.OpenRead(second)));
        Assert.Equal(0, after.Canvas.CountDifferences(RecordingReplayer.Replay(grown).Observer.Framebuffer!.Pixels, out _));
    }

    [Fact]
    public async Task AnUnplayableRecordingIsAClearErrorRememberedForThatSource()
    {
        var b = Activity(2);
        b.Update(3 * Second, [.. PassthroughRecordingBuilder.Header(0, 0, 16, 16, 50), 0, 0, 0, 0]); // H.264 (50)
        await File.WriteAllBytesAsync(_paths.StreamRecording("abc1"), b.Finish(4 * Second));
        using var playable = NewService();
        var e = await Assert.ThrowsAsync<RecordingUnplayableException>(() => playable.GetTdpFileAsync("abc1", Passthrough, CancellationToken.None));
        Assert.Contains("cannot be played", e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<RecordingUnplayableException>(() => playable.GetTdpFileAsync("abc1", Passthrough, CancellationToken.None));
        Assert.Equal(1, playable.TranscodeCount);
        Assert.False(File.Exists(_paths.TdpReplay("abc1")));
        Assert.Empty(Directory.GetFiles(_paths.Directory, "*.tmp"));
    }

    [Fact]
    public async Task ATdpRecordingIsItsOwnPlayableFile()
    {
        using var playable = NewService();
        var file = _paths.StreamRecording("abc2");
        await File.WriteAllBytesAsync(file, [1, 2, 3]);
        Assert.Equal(file, await playable.GetTdpFileAsync("abc2", StreamRecordingHeader.TdpKind, CancellationToken.None));
        Assert.Equal(0, playable.TranscodeCount);
        await Assert.ThrowsAsync<RecordingUnplayableException>(() => playable.GetTdpFileAsync("abc2", "asciicast", CancellationToken.None));
        await Assert.ThrowsAsync<FileNotFoundException>(() => playable.GetTdpFileAsync("gone", Passthrough, CancellationToken.None));
        await Assert.ThrowsAsync<FileNotFoundException>(() => playable.GetTdpFileAsync("gone", StreamRecordingHeader.TdpKind, CancellationToken.None));
    }
}
