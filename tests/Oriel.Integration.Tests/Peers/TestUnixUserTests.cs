using Oriel.TestPeers;

namespace Oriel.Integration.Tests.Peers;

/// <summary>
/// The shared test account's password is random per run: the variable scripts/test sets wins; without it, test
/// processes racing to create the shared file all end up with the first one written, in a 0600 file.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class TestUnixUserTests : IDisposable
{
    private readonly string _dir = TestDirs.Create("unix-user");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task RacingCreators_AllGetTheFirstPasswordWritten_InAPrivateFile()
    {
        var path = Path.Combine(_dir, "password");
        using var start = new Barrier(8);
        var passwords = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait();
            return TestUnixUser.ReadOrCreateSharedPassword(path);
        })));

        Assert.Single(passwords.Distinct());
        Assert.Matches("^[0-9a-f]{32}$", passwords[0]);
        Assert.Equal(passwords[0] + "\n", await File.ReadAllTextAsync(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(["password", "password.lock"], Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName).Order()); // no temporary left; the creators' lock stays
        Assert.Equal(passwords[0], TestUnixUser.ReadOrCreateSharedPassword(path)); // read again, not replaced
    }

    [Fact]
    public void EachNewFileHasItsOwnPassword_AndALooseFileIsRefused()
    {
        var first = TestUnixUser.ReadOrCreateSharedPassword(Path.Combine(_dir, "a"));
        var second = TestUnixUser.ReadOrCreateSharedPassword(Path.Combine(_dir, "b"));
        Assert.NotEqual(first, second);

        var loose = Path.Combine(_dir, "loose");
        File.WriteAllText(loose, "known-password\n");
        File.SetUnixFileMode(loose, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        Assert.Throws<InvalidOperationException>(() => TestUnixUser.ReadOrCreateSharedPassword(loose));
    }

    [Fact]
    public void TheRunsVariableWins_WhenSet()
    {
        Assert.Equal("from-scripts-test", TestUnixUser.FromVariable("from-scripts-test"));
        Assert.Null(TestUnixUser.FromVariable(null));
        Assert.Null(TestUnixUser.FromVariable(""));
        Assert.Throws<InvalidOperationException>(() => TestUnixUser.FromVariable("a:b"));
    }
}
