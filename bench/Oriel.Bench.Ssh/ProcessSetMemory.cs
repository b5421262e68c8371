namespace Oriel.Bench.Ssh;

/// <summary>
/// Memory of a set of processes (e.g. sshd's per-connection processes and shells): how many there are, their threads,
/// the sum of their RSS (counts shared pages once per process) and of their Pss (shared pages divided among the sharers,
/// so the sum is what the set really occupies), in KiB.
/// </summary>
internal sealed record ProcessSetMemory(int Processes, int Threads, long RssKib, long PssKib);
