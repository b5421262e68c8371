namespace Oriel.Gateway.Sessions;

/// <summary>
/// One live-view watcher's queue of outbound TDP messages (whole encoded messages, copied), bounded in bytes and in
/// messages. The watched session offers every message it sends under its gate (<see cref="Offer"/>), which never waits:
/// when the watcher is too far behind to take another, the queue is dropped and the watcher is owed a fresh keyframe, so
/// a slow watcher costs the watched session a copy per message and nothing else. While a keyframe is owed nothing is
/// queued. The watcher's pump takes messages in order (<see cref="NextAsync"/>); when a keyframe is owed it is told so,
/// but not sooner than <see cref="MinKeyframeInterval"/> after the last one, so a watcher that stays slow does not make
/// the session copy its screen over and over. The pump takes the keyframe under the session's gate and calls
/// <see cref="KeyframeTaken"/> there, so the messages queued from then on follow the picture exactly.
/// A new queue owes its first keyframe at once.
/// </summary>
public sealed class LiveWatcherQueue
{
    private readonly object _lock = new();
    private readonly Queue<byte[]> _messages = new();
    private readonly TimeProvider _time;
    private TaskCompletionSource? _waiter;
    private long _bytes;
    private bool _keyframeOwed = true;
    private long? _lastKeyframe;

    public LiveWatcherQueue(long maxBytes, int maxMessages, TimeSpan minKeyframeInterval, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentNullException.ThrowIfNull(time);
        MaxBytes = maxBytes;
        MaxMessages = maxMessages;
        MinKeyframeInterval = minKeyframeInterval;
        _time = time;
    }

    public long MaxBytes { get; }
    public int MaxMessages { get; }

    /// <summary>The shortest time between two keyframes owed because the watcher fell behind.</summary>
    public TimeSpan MinKeyframeInterval { get; }

    /// <summary>How many times the queue was dropped because the watcher fell behind.</summary>
    public int Overflows { get; private set; }

    /// <summary>Messages not queued: offered while a keyframe was owed, or dropped with the queue.</summary>
    public long Dropped { get; private set; }

    public long QueuedBytes
    {
        get { lock (_lock) return _bytes; }
    }

    public int QueuedMessages
    {
        get { lock (_lock) return _messages.Count; }
    }

    /// <summary>True until the pump has taken a keyframe after the start or an overflow.</summary>
    public bool KeyframeOwed
    {
        get { lock (_lock) return _keyframeOwed; }
    }

    /// <summary>
    /// Queues a copy of one whole encoded message. Never waits. Returns false when it was not queued: a keyframe is owed
    /// (it will draw what this message drew), or queuing it would pass a bound, in which case the queue is dropped and a
    /// keyframe is owed from now on.
    /// </summary>
    public bool Offer(ReadOnlySpan<byte> message)
    {
        lock (_lock)
        {
            if (_keyframeOwed)
            {
                Dropped++;
                return false;
            }
            if (_bytes + message.Length > MaxBytes || _messages.Count >= MaxMessages)
            {
                Dropped += _messages.Count + 1;
                _messages.Clear();
                _bytes = 0;
                _keyframeOwed = true;
                Overflows++;
                Wake();
                return false;
            }
            _messages.Enqueue(message.ToArray());
            _bytes += message.Length;
            Wake();
            return true;
        }
    }

    /// <summary>
    /// Called under the watched session's gate when the pump has read the screen for a keyframe: anything still queued is
    /// older than the picture and dropped; the messages offered from now on are queued behind it.
    /// </summary>
    public void KeyframeTaken()
    {
        lock (_lock)
        {
            Dropped += _messages.Count;
            _messages.Clear();
            _bytes = 0;
            _keyframeOwed = false;
            _lastKeyframe = _time.GetTimestamp();
        }
    }

    /// <summary>
    /// The next queued message without waiting, or false when there is none (while a keyframe is owed nothing is queued).
    /// For the session's last messages once it ended: the view sends what is left before it closes.
    /// </summary>
    public bool TryTake([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out byte[]? message)
    {
        lock (_lock)
        {
            if (!_keyframeOwed && _messages.TryDequeue(out message))
            {
                _bytes -= message.Length;
                return true;
            }
            message = null;
            return false;
        }
    }

    /// <summary>
    /// The next thing for the pump: a message, or null when a keyframe is owed and due (the pump then takes one and
    /// calls <see cref="KeyframeTaken"/>). Waits while there is nothing, or while an owed keyframe is not yet due.
    /// </summary>
    public async ValueTask<byte[]?> NextAsync(CancellationToken ct)
    {
        while (true)
        {
            Task wake;
            TimeSpan? due = null;
            lock (_lock)
            {
                if (_keyframeOwed)
                {
                    var since = _lastKeyframe is { } last ? _time.GetElapsedTime(last) : TimeSpan.MaxValue;
                    if (since >= MinKeyframeInterval)
                    {
                        return null;
                    }
                    due = MinKeyframeInterval - since;
                }
                else if (_messages.TryDequeue(out var message))
                {
                    _bytes -= message.Length;
                    return message;
                }
                _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wake = _waiter.Task;
            }
            if (due is { } d)
            {
                await Task.Delay(d, _time, ct).ConfigureAwait(false);
            }
            else
            {
                await wake.WaitAsync(ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Under the lock: lets a waiting pump go on (on its own thread, never the offering session's).</summary>
    private void Wake()
    {
        var waiter = _waiter;
        _waiter = null;
        waiter?.TrySetResult();
    }
}
