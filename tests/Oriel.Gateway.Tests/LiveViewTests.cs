using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Oriel.Gateway.Desktop;
using Oriel.Gateway.Sessions;
using Oriel.Graphics;
using Oriel.Tdp;

namespace Oriel.Gateway.Tests;

/// <summary>
/// A session's live view with a real <see cref="DesktopSurface"/> and a recording browser: a joining watcher gets the
/// screen as a keyframe and then the session's messages; a watcher that never reads never holds the session up; the
/// user hears who watches; clipboard contents are not shown to watchers.
/// </summary>
public sealed class LiveViewTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UnixEpoch);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly RecordingTdpSender _browser = new();
    private readonly Framebuffer _fb = new(300, 40);
    private readonly LiveSession _live = new("s1", "u1", "alice", "t1", "vnc", SessionKinds.Rendered, null, DateTimeOffset.UnixEpoch);
    private readonly LiveViews _views = new();
    private readonly LiveView _view;
    private readonly ITdpSender _tee;
    private readonly DesktopSurface _surface;

    public LiveViewTests()
    {
        _view = new LiveView(_live, _views, _clock, NullLogger.Instance);
        _views.Add(_view);
        _tee = _view.WrapSender(_browser);
        _surface = new DesktopSurface(_tee, () => _fb, () => { }, _live, new FrameEncoderOptions(), _clock);
        _view.SurfaceOpened(_surface, new SessionGate(_gate));
    }

    /// <summary>Runs like the session: under its gate.</summary>
    private async Task UnderGateAsync(Func<Task> action)
    {
        await _gate.WaitAsync();
        try
        {
            await action();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The desktop opens and its first update is sent, as the target's first update would be.</summary>
    private async Task OpenDesktopAsync(uint color)
    {
        _fb.Fill(_fb.Bounds, color);
        await UnderGateAsync(async () =>
        {
            await _surface.OpenAsync(300, 40, updatePending: true);
            _surface.Damage(_fb.Bounds);
            await _surface.UpdateCompletedAsync();
        });
        Assert.False(_surface.HasPendingUpdate);
    }

    private static LiveWatcher Watcher(string name, FakeTimeProvider clock, long maxBytes = LiveWatcher.MaxQueuedBytes) =>
        new(name, new LiveWatcherQueue(maxBytes, LiveWatcher.MaxQueuedMessages, LiveWatcher.MinKeyframeInterval, clock));

    [Fact]
    public async Task A_joining_watcher_gets_the_screen_then_what_the_session_sends_but_not_the_clipboard()
    {
        await OpenDesktopAsync(0xFF112233);
        _browser.Take();

        var received = new List<TdpMessage>();
        var got = new SemaphoreSlim(0);
        var watcher = Watcher("bob", _clock);
        using var stop = new CancellationTokenSource();
        _view.Join(watcher);
        var pump = watcher.PumpAsync(_view, m =>
        {
            lock (received) received.Add(TdpCodec.Decode(m.Span));
            got.Release();
            return ValueTask.CompletedTask;
        }, stop.Token);

        // DesktopSize and two 256-pixel-wide PNG tiles: the keyframe, taken although the screen is idle.
        for (var i = 0; i < 3; i++) Assert.True(await got.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, watcher.Keyframes);
        lock (received)
        {
            Assert.Equal(new DesktopSizeMessage(300, 40), received[0]);
            var tiles = received.Skip(1).Cast<PngFrame2Message>().ToList();
            Assert.Equal([(0u, 256u), (256u, 300u)], tiles.Select(t => (t.Left, t.Right)));
            received.Clear();
        }

        await UnderGateAsync(async () =>
        {
            await _tee.SendAsync(new ClipboardDataMessage("secret"u8.ToArray()));
            await _tee.SendAsync(new FrameMarkerMessage(7));
        });
        Assert.True(await got.WaitAsync(TimeSpan.FromSeconds(10)));
        lock (received) Assert.Equal([new FrameMarkerMessage(7)], received);

        // The user was told, under the gate, in order with the session's messages; the clipboard still reached the user.
        await UnderGateAsync(() => Task.CompletedTask);
        var toUser = _browser.Take();
        Assert.Contains(new NotificationMessage("bob is watching this session (read-only)", Severity.Info), toUser);
        Assert.Contains(toUser, m => m is ClipboardDataMessage);

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pump);
        _view.Leave(watcher);
        await WaitForAsync(() => _browser.Sent.Contains(new NotificationMessage("bob stopped watching this session", Severity.Info)));
        Assert.Equal(0, _view.WatcherCount);
    }

    [Fact]
    public async Task A_watcher_that_never_reads_never_holds_the_session_up()
    {
        await OpenDesktopAsync(0xFF000000);
        _browser.Take();
        var watcher = Watcher("slow", _clock, maxBytes: 4096);
        var stuck = new TaskCompletionSource();
        using var stop = new CancellationTokenSource();
        _view.Join(watcher);
        var pump = watcher.PumpAsync(_view, _ => new ValueTask(stuck.Task), stop.Token); // its socket never takes a byte
        await WaitForAsync(() => !watcher.Queue.KeyframeOwed); // the keyframe was read; its first part is stuck

        for (uint i = 0; i < 2000; i++)
        {
            await _gate.WaitAsync();
            try
            {
                var send = _tee.SendAsync(new FrameMarkerMessage(i));
                Assert.True(send.IsCompletedSuccessfully); // the watched browser's send went straight through
                await send;
            }
            finally
            {
                _gate.Release();
            }
        }
        Assert.True(watcher.Queue.Overflows > 0);
        Assert.True(watcher.Queue.QueuedBytes <= 4096);
        Assert.Equal(2000, _browser.Sent.Count(m => m is FrameMarkerMessage));

        await stop.CancelAsync();
        stuck.SetResult();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pump);
    }

    [Fact]
    public async Task A_keyframe_waits_for_an_update_being_sent_but_not_for_ever()
    {
        await OpenDesktopAsync(0xFF445566);
        _surface.Damage(new Rect(0, 0, 10, 10)); // changed, not yet sent (the browser has a frame in flight)
        var watcher = Watcher("carol", _clock);
        using var stop = new CancellationTokenSource();
        var sent = 0;
        _view.Join(watcher);
        var pump = watcher.PumpAsync(_view, _ => { Interlocked.Increment(ref sent); return ValueTask.CompletedTask; }, stop.Token);
        await Task.Delay(100);
        Assert.True(watcher.Queue.KeyframeOwed); // waiting for the session to send its update
        for (var i = 0; i < 50 && watcher.Queue.KeyframeOwed; i++)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Delay(20);
        }
        await WaitForAsync(() => watcher.Keyframes == 1); // taken anyway after the settle wait
        Assert.True(Volatile.Read(ref sent) >= 3);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pump);
    }

    [Fact]
    public async Task The_session_ending_ends_the_view()
    {
        Assert.Same(_view, _views.Find("s1"));
        await _view.FinishAsync(SessionEndReason.TargetClosed, "The remote desktop closed the session.");
        Assert.True(_view.Ended.IsCancellationRequested);
        Assert.Equal("The remote desktop closed the session.", _view.EndMessage);
        Assert.Null(_views.Find("s1"));
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(10);
        }
        Assert.True(condition());
    }

    public async ValueTask DisposeAsync()
    {
        await _view.DisposeAsync();
        _surface.Dispose();
        _gate.Dispose();
    }
}
