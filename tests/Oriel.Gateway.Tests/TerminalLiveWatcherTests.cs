using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Oriel.Gateway.Desktop;
using Oriel.Gateway.Sessions;
using Oriel.Tdp;

namespace Oriel.Gateway.Tests;

/// <summary>
/// A terminal session's <see cref="LiveView"/> with a recording browser: the user hears of a watcher at once although
/// the terminal is idle (the view's tee is the gate of the browser socket); a watcher that falls behind is dropped,
/// never holds the session's sends up, and is given a fresh size and replay; the replay goes with the session.
/// </summary>
public sealed class TerminalLiveWatcherTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UnixEpoch);
    private readonly RecordingTdpSender _browser = new();
    private readonly LiveViews _views = new();
    private readonly LiveView _view;
    private readonly ITdpSender _tee;

    public TerminalLiveWatcherTests()
    {
        var live = new LiveSession("s1", "u1", "alice", "t1", "ssh", SessionKinds.Rendered, null, DateTimeOffset.UnixEpoch);
        _view = new LiveView(live, _views, _clock, NullLogger.Instance, SessionMedium.Terminal);
        _views.Add(_view);
        _tee = _view.WrapSender(_browser);
    }

    [Fact]
    public async Task A_slow_watcher_is_dropped_to_a_fresh_replay_and_never_slows_the_session()
    {
        _view.BrowserMessage(new TerminalResizeMessage(90, 20, 0, 0));
        await _tee.SendAsync(new TerminalOutputMessage("old\e[2Jhello"u8.ToArray()));

        var received = new List<TdpMessage>();
        var blocked = new TaskCompletionSource();
        var watcher = new LiveWatcher("bob", new LiveWatcherQueue(4096, LiveWatcher.MaxQueuedMessages, LiveWatcher.MinKeyframeInterval, _clock));
        using var stop = new CancellationTokenSource();
        _view.Join(watcher);
        var pump = watcher.PumpAsync(_view, async m =>
        {
            int count;
            lock (received)
            {
                received.Add(TdpCodec.Decode(m.Span));
                count = received.Count;
            }
            if (count == 3)
            {
                await blocked.Task; // the watcher's socket stops taking bytes after the first live message
            }
        }, stop.Token);

        await WaitForAsync(() => { lock (received) return received.Count == 2; });
        lock (received)
        {
            Assert.Equal(new TerminalSizeMessage(90, 20), received[0]);
            Assert.Equal("\e[2Jhello"u8.ToArray(), Assert.IsType<TerminalOutputMessage>(received[1]).Data);
        }
        // Told at once, with no output to carry the notice.
        await WaitForAsync(() => _browser.Sent.Contains(new NotificationMessage("bob is watching this session (read-only)", Severity.Info)));

        var line = new byte[100];
        Array.Fill(line, (byte)'x');
        await _tee.SendAsync(new TerminalOutputMessage(line));
        await WaitForAsync(() => { lock (received) return received.Count == 3; }); // the pump is stuck sending it
        for (var i = 1; i < 2000; i++)
        {
            var send = _tee.SendAsync(new TerminalOutputMessage(line));
            Assert.True(send.IsCompletedSuccessfully); // the user's send went straight through
            await send;
        }
        Assert.True(watcher.Queue.Overflows > 0);
        Assert.True(watcher.Queue.QueuedBytes <= 4096);
        Assert.Equal(2001, _browser.Sent.Count(m => m is TerminalOutputMessage));

        _view.BrowserMessage(new TerminalResizeMessage(100, 30, 0, 0)); // while a replay is owed: not queued, but in the next one
        await _tee.SendAsync(new TerminalOutputMessage("\e[H\e[Jfresh"u8.ToArray()));
        blocked.SetResult();
        _clock.Advance(LiveWatcher.MinKeyframeInterval);
        await WaitForAsync(() => watcher.Keyframes == 2);
        await WaitForAsync(() => { lock (received) return received.Count == 5; });
        lock (received)
        {
            Assert.IsType<TerminalOutputMessage>(received[2]); // the live message it was stuck on
            Assert.Equal(new TerminalSizeMessage(100, 30), received[3]);
            Assert.Equal("\e[H\e[Jfresh"u8.ToArray(), Assert.IsType<TerminalOutputMessage>(received[4]).Data);
        }

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pump);
        _view.Leave(watcher);
    }

    [Fact]
    public async Task The_replay_goes_with_the_session()
    {
        await _tee.SendFragmentedAsync(new byte[] { 108, 0, 0, 0, 2 }, "hi"u8.ToArray());
        var watcher = new LiveWatcher("bob", new LiveWatcherQueue(4096, 16, LiveWatcher.MinKeyframeInterval, _clock));
        var (size, screen) = _view.ReadTerminalScreen(watcher);
        Assert.Equal(new TerminalSizeMessage(80, 24), size);
        Assert.Equal("hi"u8.ToArray(), screen);
        Assert.False(watcher.Queue.KeyframeOwed);

        await _view.FinishAsync(SessionEndReason.TargetClosed, "The shell exited.");
        Assert.Null(_views.Find("s1"));
        Assert.Empty(_view.ReadTerminalScreen(watcher).Screen);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(10);
        }
        Assert.True(condition());
    }

    public async ValueTask DisposeAsync() => await _view.DisposeAsync();
}
