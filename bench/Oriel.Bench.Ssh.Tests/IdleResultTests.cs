using Oriel.Bench.Ssh;

namespace Oriel.Bench.Ssh.Tests;

public class IdleResultTests
{
    [Fact]
    public void Per_session_figures_are_the_difference_divided_by_the_sessions_opened()
    {
        var r = new IdleResult
        {
            Requested = 100,
            Opened = 80,
            GatewayBefore = new ProcStatus(RssKib: 100_000, PeakRssKib: 120_000, Threads: 30),
            GatewayAfter = new ProcStatus(RssKib: 140_000, PeakRssKib: 150_000, Threads: 38),
            SshdBefore = new ProcessSetMemory(Processes: 0, Threads: 0, RssKib: 0, PssKib: 0),
            SshdAfter = new ProcessSetMemory(Processes: 240, Threads: 240, RssKib: 1_600_000, PssKib: 400_000),
        };

        Assert.Equal(500, r.GatewayRssKibPerSession);
        Assert.Equal(0.1, r.GatewayThreadsPerSession!.Value, 9);
        Assert.Equal(3, r.SshdProcessesPerSession);
        Assert.Equal(20_000, r.SshdRssKibPerSession);
        Assert.Equal(5_000, r.SshdPssKibPerSession);
    }

    [Fact]
    public void Nothing_opened_gives_no_per_session_figures()
    {
        var r = new IdleResult
        {
            Requested = 100,
            GatewayBefore = new ProcStatus(1, 1, 1),
            GatewayAfter = new ProcStatus(2, 2, 2),
        };

        Assert.Null(r.GatewayRssKibPerSession);
        Assert.Null(r.SshdRssKibPerSession);
    }
}
