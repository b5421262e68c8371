using Oriel.Bench.Ssh;

namespace Oriel.Bench.Ssh.Tests;

public class SpreadTests
{
    [Fact]
    public void Odd_count_takes_the_middle_value_and_the_range()
    {
        var s = Spread.Of([30.0, 10.0, 20.0])!;

        Assert.Equal(20, s.Median);
        Assert.Equal(10, s.Min);
        Assert.Equal(30, s.Max);
        Assert.Equal(3, s.Count);
    }

    [Fact]
    public void Even_count_averages_the_two_middle_values()
    {
        Assert.Equal(25, Spread.Of([40.0, 10.0, 20.0, 30.0])!.Median);
    }

    [Fact]
    public void Missing_values_are_left_out_and_none_gives_null()
    {
        Assert.Equal(5, Spread.Of([double.NaN, 5.0])!.Median);
        Assert.Null(Spread.Of([double.NaN]));
        Assert.Null(Spread.Of([]));
    }

    [Fact]
    public void Ratio_needs_both_values_and_a_nonzero_denominator()
    {
        Assert.Equal(0.5, Spread.Ratio(1, 2));
        Assert.Null(Spread.Ratio(1, 0));
        Assert.Null(Spread.Ratio(null, 2));
        Assert.Null(Spread.Ratio(1, null));
    }
}
