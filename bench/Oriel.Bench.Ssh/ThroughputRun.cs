namespace Oriel.Bench.Ssh;

/// <summary>One throughput run of one side (<see cref="SshBenchOptions.SideSsh"/> or <see cref="SshBenchOptions.SideOriel"/>).</summary>
internal sealed record ThroughputRun
{
    public required string Side { get; init; }

    /// <summary>1 for the first run of this side, 2 for the second, ... (runs of the same index form one round).</summary>
    public required int Index { get; init; }

    /// <summary>Why the run failed, or null.</summary>
    public string? Error { get; init; }

    /// <summary>Bytes the remote command wrote.</summary>
    public long PayloadBytes { get; init; }

    /// <summary>Seconds the payload took: for ssh the command's run less the setup run; for Oriel from typing the command to the last payload byte.</summary>
    public double Seconds { get; init; }

    /// <summary><see cref="PayloadBytes"/> ÷ <see cref="Seconds"/> ÷ 10^6.</summary>
    public double MegabytesPerSecond { get; init; }

    /// <summary>CPU seconds of the client over the transfer: the ssh process, or this benchmark process (the TDP client) for Oriel.</summary>
    public double ClientCpuSeconds { get; init; }

    /// <summary>ssh only: seconds of <c>ssh ... true</c> (connection, login, session, teardown), not counted in <see cref="Seconds"/>.</summary>
    public double? SshSetupSeconds { get; init; }

    /// <summary>Oriel only: terminal output data bytes received (prompt and echo included) and the NUL bytes among them (must equal the payload).</summary>
    public long? ReceivedBytes { get; init; }
    public long? ReceivedNulBytes { get; init; }
    public long? OutputMessages { get; init; }

    /// <summary>Oriel only: seconds from typing the command to the terminal exit (112).</summary>
    public double? SecondsToExit { get; init; }

    /// <summary>Oriel only: the gateway's CPU seconds over the transfer, and per GiB of payload.</summary>
    public double? GatewayCpuSeconds { get; init; }
    public double? GatewayCpuSecondsPerGib { get; init; }

    /// <summary>Oriel only: the gateway's RSS (MiB) when the command was typed, and its peak until the payload had arrived.</summary>
    public double? GatewayRssBeforeMib { get; init; }
    public double? GatewayPeakRssMib { get; init; }

    /// <summary>Oriel only: how the peak was found: "VmHWM" (kernel peak, reset when the command was typed) or "sampled" (VmRSS every 50 ms).</summary>
    public string? PeakSource { get; init; }

    public int? GatewayThreads { get; init; }

    /// <summary>/proc/loadavg when the run ended.</summary>
    public string LoadAverage { get; init; } = "";
}
