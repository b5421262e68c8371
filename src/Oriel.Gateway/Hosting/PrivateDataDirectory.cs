using System.Runtime.InteropServices;

namespace Oriel.Gateway.Hosting;

/// <summary>
/// Keeps the data directory private to the user the gateway runs as: the database and its <c>-wal</c>/<c>-shm</c>
/// files, <c>secret.key</c>, the cookie-protection keys (<c>keys/</c>) and the recordings (<c>recordings/</c>).
/// <list type="bullet">
/// <item>The process umask gains 077, so every file and directory created later (SQLite's <c>-wal</c>/<c>-shm</c>,
/// key files, recordings, a database created by a CLI command) has no group or other bits, whoever creates it.</item>
/// <item>The data directory and its <c>keys/</c> and <c>recordings/</c> are made 0700 even when they existed
/// before with a looser mode (an operator's <c>mkdir</c> gives 0755).</item>
/// <item>Files already there (directly in the data directory, in <c>keys/</c>, in <c>recordings/</c>) lose
/// their group and other bits. Symbolic links are left alone, and nothing deeper is walked: an operator who
/// points <c>--data</c> at a directory holding other things keeps those as they are.</item>
/// </list>
/// Nothing here runs on Windows, where the directory's ACL is the operator's business.
/// </summary>
public static partial class PrivateDataDirectory
{
    /// <summary>0700.</summary>
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Group and other permission bits: none of them may be set under the data directory.</summary>
    public const UnixFileMode GroupAndOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>The subdirectories the gateway writes (cookie-protection keys, recordings, exported videos).</summary>
    public static readonly IReadOnlyList<string> Subdirectories = ["keys", Recordings.RecordingPaths.DirectoryName, Recordings.Export.RecordingExportJobs.DirectoryName];

    [LibraryImport("libc", EntryPoint = "umask")]
    private static partial uint Umask(uint mask);

    /// <summary>Adds 077 to the process umask (keeps any stricter bits already there).</summary>
    public static void RestrictUmask()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var previous = Umask(0x3F);
        Umask(previous | 0x3F);
    }

    /// <summary>Restricts the umask, then makes <paramref name="path"/> and what the gateway keeps in it private (see the type).</summary>
    public static void Secure(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        RestrictUmask();
        EnsurePrivateDirectory(path);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        RestrictFiles(path);
        foreach (var name in Subdirectories)
        {
            var sub = Path.Combine(path, name);
            if (Directory.Exists(sub) && !IsLink(sub))
            {
                EnsurePrivateDirectory(sub);
                RestrictFiles(sub);
            }
        }
    }

    /// <summary>Creates the directory with mode 0700, or sets an existing one to 0700.</summary>
    public static void EnsurePrivateDirectory(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path, DirectoryMode);
        }

        // CreateDirectory leaves an existing directory's mode (and its parents') alone; this does not.
        if (File.GetUnixFileMode(path) != DirectoryMode)
        {
            try
            {
                File.SetUnixFileMode(path, DirectoryMode);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new IOException($"data directory '{path}' cannot be made private (mode 0700): {e.Message}", e);
            }
        }
    }

    /// <summary>
    /// Removes group and other bits from the regular files directly in <paramref name="directory"/>. A file
    /// the gateway's user does not own (a root-owned <c>oriel.json</c>) cannot be changed and is left: the
    /// directory's 0700 already keeps others out of it.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void RestrictFiles(string directory)
    {
        foreach (var file in new DirectoryInfo(directory).EnumerateFiles())
        {
            if (file.LinkTarget is not null)
            {
                continue;
            }

            var mode = file.UnixFileMode;
            if ((mode & GroupAndOther) != 0)
            {
                try
                {
                    file.UnixFileMode = mode & ~GroupAndOther;
                }
                catch (UnauthorizedAccessException)
                {
                    // Not ours to change (see above).
                }
            }
        }
    }

    private static bool IsLink(string path) => new DirectoryInfo(path).LinkTarget is not null;
}
