using Oriel.Gateway.Audit;
using Oriel.Gateway.Configuration;
using Oriel.Gateway.Hosting;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;
using Oriel.TestPeers;

namespace Oriel.Gateway.Tests;

/// <summary>
/// The data directory and everything the gateway keeps in it (database, -wal/-shm, secret.key, cookie-protection
/// keys, recordings) are private to the gateway's user, also when the operator created the directory beforehand
/// with the usual 0755 and left world-readable files in it.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DataDirectoryPrivacyTests
{
    private const UnixFileMode Loose =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    [Fact]
    public async Task APreExisting0755DirectoryAndEverythingWrittenInItArePrivateAfterASessionWithARecording()
    {
        var dir = TestGateway.NewDataDir();
        Directory.CreateDirectory(dir);
        File.SetUnixFileMode(dir, Loose);
        // What an older gateway (or a restored backup) left: a world-readable database and recordings directory.
        var database = Path.Combine(dir, GatewayOptions.DatabaseFileName);
        File.Create(database).Dispose(); // an empty file is a new SQLite database
        File.SetUnixFileMode(database, Loose & ~(UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute));
        var recordings = Path.Combine(dir, "recordings");
        Directory.CreateDirectory(recordings);
        File.SetUnixFileMode(recordings, Loose);
        var oldRecording = Path.Combine(recordings, "0123abcd.orec");
        await File.WriteAllTextAsync(oldRecording, "old");
        File.SetUnixFileMode(oldRecording, Loose & ~UnixFileMode.UserExecute);
        try
        {
            await using var server = ScriptedVncServer.Start(Misbehavior.WellBehaved);
            await using (var gw = await TestGateway.StartAsync(dataDir: dir))
            {
                // Database writes: sign-in, password change, a target, audit events.
                using var admin = await gw.AdminClientAsync();
                await gw.Get<TargetService>().SaveAsync(
                    new TargetRecord("desk", "Desk", "127.0.0.1", server.Port, "", new Dictionary<string, string>(), null, null, new VncTargetSettings(["none"],
                        TlsVerification.System, null), false),
                    null, "test");

                await RawPassthroughViewer.RunAsync(gw, admin, "desk");
                var end = await WaitForSessionEndAsync(gw);
                var recording = end.Details!["recording"]!.GetValue<string>();
                Assert.True(new FileInfo(Path.Combine(recordings, recording)).Length > 0);
                Assert.True(File.Exists(gw.Get<IOrielStore>() is SqliteOrielStore s ? s.DatabasePath + "-wal" : ""), "the database runs in WAL mode");

                // Files created while the gateway runs, not just the ones fixed at start-up.
                AssertPrivate(dir);
            }

            AssertPrivate(dir);
            Assert.True(Directory.Exists(Path.Combine(dir, "keys")), "the cookie-protection keys are kept in DATA/keys");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void AnExistingDirectoryAndItsFilesAreMadePrivate_ButSymbolicLinksAreNotFollowed()
    {
        var dir = TestGateway.NewDataDir();
        Directory.CreateDirectory(dir);
        File.SetUnixFileMode(dir, Loose);
        var key = Path.Combine(dir, "secret.key");
        File.WriteAllText(key, "x");
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var elsewhere = Path.Combine(Path.GetTempPath(), "oriel-gw-tests", Guid.NewGuid().ToString("N") + ".txt");
        File.WriteAllText(elsewhere, "not the gateway's");
        File.SetUnixFileMode(elsewhere, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        File.CreateSymbolicLink(Path.Combine(dir, "link.txt"), elsewhere);
        try
        {
            PrivateDataDirectory.Secure(dir);

            Assert.Equal(PrivateDataDirectory.DirectoryMode, File.GetUnixFileMode(dir));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
            // A symbolic link is not followed: the file it points to, outside the data directory, keeps its mode.
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead, File.GetUnixFileMode(elsewhere));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
            File.Delete(elsewhere);
        }
    }

    /// <summary>Every directory and file under <paramref name="dir"/> (and it) has no group or other bits.</summary>
    private static void AssertPrivate(string dir)
    {
        var loose = new List<string>();
        var entries = new DirectoryInfo(dir).EnumerateFileSystemInfos("*", SearchOption.AllDirectories).Prepend(new DirectoryInfo(dir)).ToList();
        foreach (var entry in entries)
        {
            if ((entry.UnixFileMode & PrivateDataDirectory.GroupAndOther) != 0)
            {
                loose.Add($"{entry.FullName} {entry.UnixFileMode}");
            }
        }

        Assert.True(loose.Count == 0, "not private: " + string.Join("; ", loose));
        Assert.Contains(entries, e => e.Name.EndsWith(".orec", StringComparison.Ordinal) && e.Name != "0123abcd.orec");
        Assert.Contains(entries, e => e.Name == "secret.key");
        Assert.Contains(entries, e => e.Name == GatewayOptions.DatabaseFileName);
    }

    private static async Task<AuditEvent> WaitForSessionEndAsync(TestGateway gw)
    {
        for (var i = 0; i < 200; i++)
        {
            var ends = await gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = AuditKinds.SessionEnd });
            if (ends.Count > 0)
            {
                return ends[0];
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("no session.end audit event within 10 s");
    }
}
