using Microsoft.Extensions.Time.Testing;
using Oriel.Gateway.Sessions;

namespace Oriel.Gateway.Tests;

/// <summary>
/// A live-view watcher's queue on its own, on a fake clock: bounded in bytes and messages, dropped for a keyframe when
/// the watcher falls behind, never waiting on the offering session, and keyframes owed for slowness spaced out.
/// </summary>
public sealed class LiveWatcherQueueTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UnixEpoch);

    private LiveWatcherQueue Queue(long maxBytes = 100, int maxMessages = 10) => new(maxBytes, maxMessages, Interval, _clock);

    [Fact]
    public async Task A_new_watcher_is_owed_a_keyframe_at_once_and_nothing_is_queued_before_it()
    {
        var q = Queue();
        Assert.False(q.Offer([1, 2, 3]));
        var next = q.NextAsync(CancellationToken.None);
        Assert.True(next.IsCompleted);
        Assert.Null(await next);
        Assert.Equal(0, q.QueuedMessages);
        Assert.Equal(1, q.Dropped);
        Assert.Equal(0, q.Overflows); // not behind: just not started
    }

    [Fact]
    public async Task After_the_keyframe_messages_come_out_in_order_as_copies()
    {
        var q = Queue();
        q.KeyframeTaken();
        byte[] first = [1, 1];
        Assert.True(q.Offer(first));
        Assert.True(q.Offer([2, 2, 2]));
        first[0] = 9; // the session reuses its buffer
        Assert.Equal(5, q.QueuedBytes);
        Assert.Equal(new byte[] { 1, 1 }, await q.NextAsync(CancellationToken.None));
        Assert.Equal(new byte[] { 2, 2, 2 }, await q.NextAsync(CancellationToken.None));
        Assert.Equal(0, q.QueuedBytes);
        Assert.False(q.KeyframeOwed);
    }

    [Fact]
    public async Task A_waiting_pump_wakes_when_a_message_is_offered()
    {
        var q = Queue();
        q.KeyframeTaken();
        var next = q.NextAsync(CancellationToken.None).AsTask();
        Assert.False(next.IsCompleted);
        Assert.True(q.Offer([7]));
        Assert.Equal(new byte[] { 7 }, await next.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Offering_past_the_byte_bound_drops_the_queue_and_owes_a_keyframe_without_waiting()
    {
        var q = Queue(maxBytes: 100);
        q.KeyframeTaken();
        for (var i = 0; i < 9; i++)
        {
            Assert.True(q.Offer(new byte[10])); // nobody takes them: the watcher is stuck
        }
        Assert.Equal(90, q.QueuedBytes);
        Assert.False(q.Offer(new byte[11])); // would pass 100 bytes
        Assert.True(q.KeyframeOwed);
        Assert.Equal(0, q.QueuedBytes);
        Assert.Equal(0, q.QueuedMessages);
        Assert.Equal(1, q.Overflows);
        Assert.Equal(10, q.Dropped);
        Assert.False(q.Offer([1])); // while the keyframe is owed nothing is queued
        Assert.Equal(1, q.Overflows);
    }

    [Fact]
    public void Offering_past_the_message_bound_drops_the_queue_too()
    {
        var q = Queue(maxBytes: 1_000_000, maxMessages: 10);
        q.KeyframeTaken();
        for (var i = 0; i < 10; i++)
        {
            Assert.True(q.Offer([1]));
        }
        Assert.False(q.Offer([1]));
        Assert.True(q.KeyframeOwed);
        Assert.Equal(1, q.Overflows);
    }

    [Fact]
    public void A_session_offering_to_a_watcher_that_never_reads_is_never_held_up()
    {
        var q = Queue(maxBytes: 1000, maxMessages: 50);
        q.KeyframeTaken();
        var accepted = 0;
        for (var i = 0; i < 100_000; i++)
        {
            if (q.Offer(new byte[64]))
            {
                accepted++;
            }
            if (q.KeyframeOwed)
            {
                q.KeyframeTaken(); // as if the pump resynchronised; the session keeps going either way
            }
        }
        Assert.True(q.QueuedBytes <= 1000);
        Assert.True(q.QueuedMessages <= 50);
        Assert.True(q.Overflows > 0);
        Assert.Equal(100_000, accepted + q.Overflows); // every offer returned: queued, or refused by the overflow it caused
        Assert.Equal(accepted - q.QueuedMessages + q.Overflows, q.Dropped); // what was queued and dropped, plus each refused one
    }

    [Fact]
    public async Task A_keyframe_owed_for_slowness_waits_for_the_interval_since_the_last_one()
    {
        var q = Queue(maxBytes: 10);
        q.KeyframeTaken(); // at t0
        q.Offer(new byte[8]);
        q.Offer(new byte[8]); // overflow right after the keyframe
        Assert.True(q.KeyframeOwed);
        var next = q.NextAsync(CancellationToken.None).AsTask();
        Assert.False(next.IsCompleted);
        _clock.Advance(Interval - TimeSpan.FromMilliseconds(1));
        await Task.Yield();
        Assert.False(next.IsCompleted);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(await next.WaitAsync(TimeSpan.FromSeconds(10)));

        // Taken again later: an overflow well after it is owed at once.
        q.KeyframeTaken();
        _clock.Advance(Interval * 3);
        q.Offer(new byte[8]);
        q.Offer(new byte[8]);
        var again = q.NextAsync(CancellationToken.None);
        Assert.True(again.IsCompleted);
        Assert.Null(await again);
    }

    [Fact]
    public async Task A_keyframe_drops_what_was_queued_before_it()
    {
        var q = Queue();
        q.KeyframeTaken();
        q.Offer([1]);
        q.Offer([2]);
        q.KeyframeTaken(); // the picture already shows what they drew
        q.Offer([3]);
        Assert.Equal(new byte[] { 3 }, await q.NextAsync(CancellationToken.None));
        Assert.Equal(2, q.Dropped);
    }

    [Fact]
    public async Task A_waiting_pump_is_cancelled_by_its_token()
    {
        var q = Queue();
        q.KeyframeTaken();
        using var cts = new CancellationTokenSource();
        var next = q.NextAsync(cts.Token).AsTask();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next);
    }
}
