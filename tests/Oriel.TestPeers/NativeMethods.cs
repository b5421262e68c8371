using System.Runtime.InteropServices;

namespace Oriel.TestPeers;

/// <summary>The few libc calls .NET does not expose: signalling a whole process group.</summary>
internal static partial class NativeMethods
{
    public const int SigKill = 9;
    public const int SigTerm = 15;
    public const int SigCont = 18;
    public const int SigStop = 19;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>Sends <paramref name="signal"/> to every process in group <paramref name="processGroup"/>; false if none was there.</summary>
    public static bool KillGroup(int processGroup, int signal) => processGroup > 1 && Kill(-processGroup, signal) == 0;

    /// <summary>Sends <paramref name="signal"/> to one process; false if it was not there.</summary>
    public static bool KillProcess(int pid, int signal) => pid > 1 && Kill(pid, signal) == 0;

    /// <summary>True while any process of the group exists (signal 0 probes without signalling).</summary>
    public static bool GroupExists(int processGroup) => processGroup > 1 && Kill(-processGroup, 0) == 0;
}
