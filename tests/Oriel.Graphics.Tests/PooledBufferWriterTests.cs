namespace Oriel.Graphics.Tests;

public class PooledBufferWriterTests
{
    [Fact]
    public void Grows_keeps_bytes_and_clears()
    {
        using var w = new PooledBufferWriter(16);
        for (var i = 0; i < 10_000; i++)
        {
            w.GetSpan(1)[0] = (byte)i;
            w.Advance(1);
        }
        Assert.Equal(10_000, w.WrittenCount);
        for (var i = 0; i < 10_000; i++) Assert.Equal((byte)i, w.WrittenSpan[i]);
        Assert.Throws<ArgumentOutOfRangeException>(() => w.Advance(w.Capacity));
        w.Clear();
        Assert.Equal(0, w.WrittenCount);
        Assert.True(w.GetMemory(100_000).Length >= 100_000);
    }
}
