using Oriel.Bench.Desktop;

namespace Oriel.Bench.Desktop.Tests;

public class ProcessCpuTests
{
    // A real /proc/<pid>/stat line (python3 websockify fork), fields 1-17 then the rest.
    private const string WebsockifyFork =
        "9509 (websockify) S 9359 9359 9337 0 -1 4194624 1203 0 0 0 41 12 3 2 20 0 1 0 123456 30000000 5000 18446744073709551615 0 0 0 0 0 0 0 16781312 2 0 0 0 17 1 0 0 0 0 0";

    [Fact]
    public void Parses_group_and_sums_utime_stime_cutime_cstime()
    {
        Assert.True(ProcessCpu.TryParse(WebsockifyFork, out var group, out var ticks));
        Assert.Equal(9359, group);
        Assert.Equal(41 + 12 + 3 + 2, ticks);
    }

    [Fact]
    public void Command_names_with_spaces_and_parentheses_do_not_shift_fields()
    {
        var stat = "42 (a) b (c d) R 1 777 777 0 -1 0 0 0 0 0 100 50 0 0 20 0 1 0 1 1 1";
        Assert.True(ProcessCpu.TryParse(stat, out var group, out var ticks));
        Assert.Equal(777, group);
        Assert.Equal(150, ticks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12 (truncated")]
    [InlineData("12 (x) S 1 2 3")]
    [InlineData("12 (x) S 1 notanumber 3 0 -1 0 0 0 0 0 1 1 0 0 20")]
    public void Malformed_lines_are_rejected(string stat)
    {
        Assert.False(ProcessCpu.TryParse(stat, out _, out _));
    }

    [Fact]
    public void This_process_is_found_in_its_own_group()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        Assert.True(ProcessCpu.TryParse(stat, out var group, out _));
        Assert.True(ProcessCpu.GroupSeconds(group) >= 0);
    }
}
