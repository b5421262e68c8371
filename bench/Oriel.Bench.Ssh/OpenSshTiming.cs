namespace Oriel.Bench.Ssh;

/// <summary>
/// One plain-ssh run: wall-clock seconds of <c>ssh ... true</c> (<see cref="SetupSeconds"/>) and of <c>ssh ... COMMAND</c>
/// (<see cref="TotalSeconds"/>), and the ssh client's CPU seconds in each.
/// </summary>
internal sealed record OpenSshTiming(double SetupSeconds, double TotalSeconds, double SetupCpuSeconds, double TotalCpuSeconds)
{
    /// <summary>The transfer alone: the command's run less the setup run (at least a millisecond).</summary>
    public double TransferSeconds => Math.Max(TotalSeconds - SetupSeconds, 0.001);

    /// <summary>The client's CPU for the transfer alone.</summary>
    public double TransferCpuSeconds => Math.Max(TotalCpuSeconds - SetupCpuSeconds, 0);
}
