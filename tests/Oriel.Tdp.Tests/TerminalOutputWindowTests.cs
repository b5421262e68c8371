using CsCheck;
using Oriel.Tdp;

namespace Oriel.Tdp.Tests;

/// <summary>The terminal flow-control window: sent − acked stays within the window; over-acks are refused.</summary>
public sealed class TerminalOutputWindowTests
{
    private const int Window = TdpLimits.MaxTerminalOutputBytes * 2;

    [Fact]
    public void A_full_window_opens_by_what_is_acknowledged()
    {
        var w = new TerminalOutputWindow(Window);
        Assert.Equal(Window, w.Available);
        w.OnSent(TdpLimits.MaxTerminalOutputBytes);
        w.OnSent(TdpLimits.MaxTerminalOutputBytes);
        Assert.Equal(0, w.Available);
        Assert.Throws<ArgumentOutOfRangeException>(() => w.OnSent(1));

        Assert.True(w.TryAcknowledge(1000));
        Assert.Equal(1000, w.Available);
        Assert.Equal(Window - 1000, w.Unacknowledged);
        Assert.Equal(1000, w.Acked);
        Assert.Equal(Window, w.Sent);
    }

    [Fact]
    public void An_ack_beyond_what_was_sent_is_refused_and_changes_nothing()
    {
        var w = new TerminalOutputWindow(Window);
        w.OnSent(10);
        Assert.False(w.TryAcknowledge(11));
        Assert.Equal(10, w.Unacknowledged);
        Assert.True(w.TryAcknowledge(10));
        Assert.False(w.TryAcknowledge(1));
        Assert.Equal(0, w.Unacknowledged);
    }

    [Fact]
    public void Counts_past_4_GiB()
    {
        var w = new TerminalOutputWindow(Window);
        for (var i = 0; i < 70_000; i++)
        {
            w.OnSent(TdpLimits.MaxTerminalOutputBytes);
            Assert.True(w.TryAcknowledge(TdpLimits.MaxTerminalOutputBytes));
        }
        Assert.Equal(70_000L * TdpLimits.MaxTerminalOutputBytes, w.Sent);
        Assert.True(w.Sent > uint.MaxValue);
        Assert.Equal(Window, w.Available);
    }

    [Fact]
    public void Refuses_a_window_smaller_than_one_message_and_an_ack_of_zero()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TerminalOutputWindow(TdpLimits.MaxTerminalOutputBytes - 1));
        var w = new TerminalOutputWindow(TdpLimits.MaxTerminalOutputBytes);
        Assert.Throws<ArgumentOutOfRangeException>(() => w.TryAcknowledge(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => w.OnSent(-1));
    }

    [Fact]
    public void Any_sequence_of_sends_and_acks_stays_within_the_window()
    {
        Gen.Select(Gen.Int[TdpLimits.MaxTerminalOutputBytes, 4 * TdpLimits.MaxTerminalOutputBytes], Gen.Int[0, 70_000].Array[1, 60])
            .Sample((window, steps) =>
            {
                var w = new TerminalOutputWindow(window);
                long sent = 0, acked = 0;
                for (var i = 0; i < steps.Length; i++)
                {
                    var n = steps[i];
                    if (i % 2 == 0)
                    {
                        var send = Math.Min(n, w.Available);
                        w.OnSent(send);
                        sent += send;
                    }
                    else if (n > 0)
                    {
                        var ok = w.TryAcknowledge((uint)n);
                        Assert.Equal(n <= sent - acked, ok);
                        if (ok)
                        {
                            acked += n;
                        }
                    }
                    Assert.Equal(sent, w.Sent);
                    Assert.Equal(acked, w.Acked);
                    Assert.InRange(w.Unacknowledged, 0, window);
                    Assert.Equal(window - (sent - acked), w.Available);
                }
            });
    }
}
