namespace Oriel.Bench.Ssh;

/// <summary>A process's resident set size now and at its peak (KiB, from VmRSS and VmHWM) and its thread count.</summary>
internal sealed record ProcStatus(long RssKib, long PeakRssKib, int Threads);
