namespace Oriel.Graphics.Tests;

public class FlowControllerTests
{
    [Fact]
    public void Window_of_frames_opens_on_acknowledgement()
    {
        var f = new FlowController(maxInFlight: 2);
        Assert.True(f.CanSend);
        Assert.Equal(1u, f.BeginFrame());
        Assert.Equal(2u, f.BeginFrame());
        Assert.False(f.CanSend);
        Assert.Equal(2, f.InFlight);
        Assert.Throws<InvalidOperationException>(() => f.BeginFrame());
        Assert.Equal(1, f.Acknowledge(1));
        Assert.True(f.CanSend);
        Assert.Equal(1, f.InFlight);
        Assert.Equal(3u, f.BeginFrame());
    }

    [Fact]
    public void Acknowledgements_are_cumulative_and_stale_or_future_ids_are_ignored()
    {
        var f = new FlowController(maxInFlight: 3);
        f.BeginFrame(100);
        f.BeginFrame(200);
        f.BeginFrame(300);
        Assert.Equal(0, f.Acknowledge(0)); // before anything sent
        Assert.Equal(0, f.Acknowledge(4)); // future
        Assert.Equal(0, f.Acknowledge(uint.MaxValue));
        Assert.Equal(3, f.InFlight);
        Assert.Equal(2, f.Acknowledge(2)); // frames 1 and 2
        Assert.Equal(300, f.BytesInFlight);
        Assert.Equal(0, f.Acknowledge(2)); // duplicate
        Assert.Equal(0, f.Acknowledge(1)); // stale
        Assert.Equal(1, f.Acknowledge(3));
        Assert.Equal(0, f.InFlight);
        Assert.Equal(0, f.BytesInFlight);
    }

    [Fact]
    public void Byte_budget_limits_but_never_blocks_a_single_frame()
    {
        var f = new FlowController(maxInFlight: 3, maxBytesInFlight: 1000);
        var big = f.BeginFrame(5000); // larger than the budget: allowed because nothing is in flight
        Assert.False(f.CanSend);
        f.Acknowledge(big);
        f.BeginFrame(400);
        Assert.True(f.CanSend);
        f.AddBytesToLastFrame(700);
        Assert.Equal(1100, f.BytesInFlight);
        Assert.False(f.CanSend);
    }

    [Fact]
    public void Frame_ids_wrap_around()
    {
        var f = new FlowController(maxInFlight: 3, firstFrameId: uint.MaxValue - 1);
        Assert.Equal(uint.MaxValue - 1, f.BeginFrame());
        Assert.Equal(uint.MaxValue, f.BeginFrame());
        Assert.Equal(0u, f.BeginFrame());
        Assert.Equal(0, f.Acknowledge(1)); // future across the wrap
        Assert.Equal(3, f.Acknowledge(0));
        Assert.Equal(1u, f.NextFrameId);
    }

    [Fact]
    public void Reset_forgets_frames_in_flight()
    {
        var f = new FlowController(maxInFlight: 1);
        var id = f.BeginFrame(10);
        f.Reset();
        Assert.True(f.CanSend);
        Assert.Equal(0, f.Acknowledge(id));
        Assert.Equal(id + 1, f.BeginFrame());
    }

    [Fact]
    public void Random_acks_never_break_the_accounting()
    {
        var rng = new Random(11);
        var f = new FlowController(maxInFlight: 3, maxBytesInFlight: 10_000);
        var sent = new List<(uint Id, long Bytes)>();
        for (var i = 0; i < 20_000; i++)
        {
            if (f.CanSend && rng.Next(2) == 0)
            {
                var bytes = rng.Next(0, 6000);
                sent.Add((f.BeginFrame(bytes), bytes));
            }
            else
            {
                var id = (uint)rng.Next(-5, 5) + f.NextFrameId;
                var future = (int)(id - f.NextFrameId) >= 0;
                var released = f.Acknowledge(id);
                var expected = future ? 0 : sent.Count(s => (int)(id - s.Id) >= 0);
                Assert.Equal(expected, released);
                if (!future) sent.RemoveAll(s => (int)(id - s.Id) >= 0);
            }
            Assert.Equal(sent.Count, f.InFlight);
            Assert.Equal(sent.Sum(s => s.Bytes), f.BytesInFlight);
            Assert.True(f.InFlight <= 3);
        }
    }
}
