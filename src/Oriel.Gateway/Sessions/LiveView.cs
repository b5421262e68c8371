using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Oriel.Gateway.Desktop;
using Oriel.Graphics;
using Oriel.Tdp;

namespace Oriel.Gateway.Sessions;

/// <summary>
/// One rendered session seen live by its watchers (docs/live-view.md): an <see cref="ISessionObserver"/> whose tee
/// (<see cref="LiveViewTee"/>) offers every message the session sends its browser to each watcher's bounded
/// <see cref="LiveWatcherQueue"/> (never waiting on a watcher), and which reads the screen for a watcher's keyframe under
/// the session's gate (<see cref="ReadScreenAsync"/>). It tells the watched user who starts and stops watching (TDP
/// Notification, sent under the gate in order with the session's own messages). Clipboard messages and the session's
/// notifications are not shown to watchers. The session's end ends its watchers, with the session's sentence.
/// Nothing a watcher sends reaches the session: a watcher has no way in.
/// </summary>
public sealed partial class LiveView : ISessionObserver
{
    /// <summary>How long a keyframe waits for the session's pending update to be sent, so the picture is what the user's canvas shows.</summary>
    internal static readonly TimeSpan SettleWait = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan SettleStep = TimeSpan.FromMilliseconds(50);

    private readonly LiveViews _views;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly object _lock = new();
    private readonly CancellationTokenSource _ended = new();
    private readonly ConcurrentQueue<string> _notices = new();
    private LiveWatcher[] _watchers = [];
    private DesktopSurface? _surface;
    private SessionGate? _gate;
    private ITdpSender? _browser;
    private byte[]? _cursor;
    private int _watchedBy;

    internal LiveView(LiveSession session, LiveViews views, TimeProvider time, ILogger log)
    {
        Session = session;
        _views = views;
        _time = time;
        _log = log;
    }

    public LiveSession Session { get; }

    /// <summary>Cancelled when the session ends; <see cref="EndMessage"/> then says how.</summary>
    public CancellationToken Ended => _ended.Token;

    /// <summary>The sentence the session's user was shown as it ended.</summary>
    public string? EndMessage { get; private set; }

    /// <summary>Watchers now.</summary>
    public int WatcherCount => Volatile.Read(ref _watchers).Length;

    /// <summary>The watchers now (a snapshot).</summary>
    internal IReadOnlyList<LiveWatcher> Watchers => Volatile.Read(ref _watchers);

    internal bool HasWatchers => Volatile.Read(ref _watchers).Length > 0;

    public ITdpSender WrapSender(ITdpSender browser)
    {
        _browser = browser;
        return new LiveViewTee(this, browser);
    }

    public void BrowserMessage(TdpMessage message)
    {
    }

    public void SurfaceOpened(DesktopSurface surface)
    {
    }

    public void SurfaceOpened(DesktopSurface surface, SessionGate gate)
    {
        lock (_lock)
        {
            _surface = surface;
            _gate = gate;
        }
        if (!_notices.IsEmpty)
        {
            _ = FlushNoticesAsync(); // someone started watching before the desktop was there
        }
    }

    /// <summary>Adds a watcher; it is owed a keyframe, which its pump asks for (<see cref="ReadScreenAsync"/>).</summary>
    internal void Join(LiveWatcher watcher)
    {
        lock (_lock)
        {
            _watchers = [.. _watchers, watcher];
            _watchedBy++;
        }
        Notify($"{watcher.UserName} is watching this session (read-only)");
    }

    internal void Leave(LiveWatcher watcher)
    {
        lock (_lock)
        {
            _watchers = [.. _watchers.Where(w => w != watcher)];
        }
        if (!_ended.IsCancellationRequested)
        {
            Notify($"{watcher.UserName} stopped watching this session");
        }
    }

    /// <summary>Under the session's gate (from the tee): a whole encoded message the browser is being sent.</summary>
    internal void Sent(TdpMessageType type, ReadOnlySpan<byte> encoded)
    {
        if (type == TdpMessageType.CursorShape)
        {
            _cursor = encoded.ToArray(); // for keyframes, watched or not
        }
        if (type is TdpMessageType.ClipboardData or TdpMessageType.Notification or TdpMessageType.Error)
        {
            return; // the user's clipboard and the session's own notices are not the watchers' business
        }
        foreach (var watcher in Volatile.Read(ref _watchers))
        {
            watcher.Queue.Offer(encoded);
        }
    }

    /// <summary>
    /// For a watcher owed a keyframe: under the session's gate, copies the framebuffer into <paramref name="copy"/> and
    /// takes the cursor, and marks the keyframe taken in the watcher's queue (the messages sent from then on follow it).
    /// Waits up to <see cref="SettleWait"/> for an update the session has not finished sending, so the picture is what the
    /// user sees. Returns the cursor (possibly empty) and whether there was a screen to copy; with no desktop yet the
    /// session's own first messages draw it.
    /// </summary>
    internal async Task<(bool Copied, byte[] Cursor)> ReadScreenAsync(LiveWatcher watcher, Framebuffer copy, CancellationToken ct)
    {
        SessionGate? gate;
        lock (_lock)
        {
            gate = _gate;
            if (gate is null)
            {
                watcher.Queue.KeyframeTaken();
                return (false, []);
            }
        }
        var settle = _time.GetTimestamp();
        while (true)
        {
            var result = await gate.RunAsync(() =>
            {
                var surface = _surface!;
                if (surface.Framebuffer is not { } fb || !surface.IsOpen)
                {
                    watcher.Queue.KeyframeTaken();
                    return ValueTask.FromResult<(bool, bool, byte[])>((true, false, []));
                }
                if (surface.HasPendingUpdate && _time.GetElapsedTime(settle) < SettleWait)
                {
                    return ValueTask.FromResult<(bool, bool, byte[])>((false, false, []));
                }
                copy.Resize(fb.Width, fb.Height);
                fb.Pixels.CopyTo(copy.Pixels);
                watcher.Queue.KeyframeTaken();
                return ValueTask.FromResult<(bool, bool, byte[])>((true, true, _cursor ?? []));
            }, ct).ConfigureAwait(false);
            if (result.Item1)
            {
                return (result.Item2, result.Item3);
            }
            await Task.Delay(SettleStep, _time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>A notice for the watched user (severity info), sent under the gate as soon as it is free.</summary>
    private void Notify(string text)
    {
        _notices.Enqueue(text);
        _ = FlushNoticesAsync();
    }

    private async Task FlushNoticesAsync()
    {
        SessionGate? gate;
        lock (_lock)
        {
            gate = _gate;
        }
        if (gate is null)
        {
            return; // sent with the session's next message, or when the desktop opens
        }
        try
        {
            await gate.RunAsync(async () =>
            {
                await SendNoticesAsync().ConfigureAwait(false);
                return true;
            }, _ended.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // The session ended; its user has nothing more to be told.
        }
        catch (Exception ex)
        {
            LogNoticeFailed(_log, Session.Id, ex);
        }
    }

    /// <summary>Under the session's gate: sends the notices waiting for the user.</summary>
    internal async ValueTask SendNoticesAsync()
    {
        if (_notices.IsEmpty || _browser is not { } browser)
        {
            return;
        }
        while (_notices.TryDequeue(out var text))
        {
            await browser.SendAsync(new NotificationMessage(text, Severity.Info)).ConfigureAwait(false);
        }
    }

    public void DescribeEnd(JsonObject details)
    {
        ArgumentNullException.ThrowIfNull(details);
        var n = Volatile.Read(ref _watchedBy);
        if (n > 0)
        {
            details["watchers"] = n;
        }
    }

    public ValueTask FinishAsync(SessionEndReason reason, string userMessage)
    {
        EndMessage = userMessage;
        _views.Remove(this);
        _ended.Cancel();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _views.Remove(this);
        EndMessage ??= "The session ended.";
        _ended.Cancel();
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(EventId = 3601, Level = LogLevel.Warning, Message = "Session {SessionId}: a live-view notice could not be sent to the user")]
    private static partial void LogNoticeFailed(ILogger logger, string sessionId, Exception exception);
}
