using System.Security.Cryptography;
using Oriel.Gateway.Ssh;
using Oriel.TestPeers;
using static Oriel.Integration.Tests.Ssh.SshTestTarget;

namespace Oriel.Integration.Tests.Ssh;

/// <summary>The SFTP wrapper of Oriel's SSH client against a real sshd's sftp-server.</summary>
public sealed class SshNetSftpSessionTests
{
    [Fact(Timeout = 120_000)]
    public async Task A_20_megabyte_file_goes_up_in_chunks_and_comes_back_byte_exact()
    {
        await using var server = await SshdServer.StartAsync(new SshdOptions { UsePam = false });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(100));
        await using var sftp = await Connector().ConnectSftpAsync(Request(server, Password()), cts.Token);
        var data = RandomNumberGenerator.GetBytes(20 * 1024 * 1024);
        var dir = $"{sftp.HomeDirectory.TrimEnd('/')}/oriel-sftp-{Guid.NewGuid():N}";
        await sftp.CreateDirectoryAsync(dir, cts.Token);
        var path = $"{dir}/big.bin";

        // Three chunks as the file panel sends them: the first creates, the others write at their offset.
        const int Chunk = 8 * 1024 * 1024;
        for (var offset = 0; offset < data.Length; offset += Chunk)
        {
            await using var up = await sftp.OpenWriteAsync(path, offset, create: offset == 0, cts.Token);
            await up.WriteAsync(data.AsMemory(offset, Math.Min(Chunk, data.Length - offset)), cts.Token);
        }
        var stat = await sftp.StatAsync(path, cts.Token);
        Assert.Equal(data.Length, stat.Size);
        Assert.Equal(SftpEntryKind.File, stat.Kind);

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var down = await sftp.OpenReadAsync(path, cts.Token))
        {
            var buffer = new byte[64 * 1024];
            int n;
            while ((n = await down.ReadAsync(buffer, cts.Token)) > 0) hash.AppendData(buffer, 0, n);
        }
        Assert.Equal(SHA256.HashData(data), hash.GetHashAndReset());

        // Truncating: a new first chunk replaces the file.
        await using (var again = await sftp.OpenWriteAsync(path, 0, create: true, cts.Token)) await again.WriteAsync("short"u8.ToArray(), cts.Token);
        Assert.Equal(5, (await sftp.StatAsync(path, cts.Token)).Size);

        await sftp.DeleteAsync(path, cts.Token);
        await sftp.DeleteAsync(dir, cts.Token);
    }

    [Fact(Timeout = 60_000)]
    public async Task List_mkdir_rename_delete_and_their_failures()
    {
        await using var server = await SshdServer.StartAsync(new SshdOptions { UsePam = false });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        await using var sftp = await Connector().ConnectSftpAsync(Request(server, Password()), cts.Token);
        Assert.StartsWith("/", sftp.HomeDirectory, StringComparison.Ordinal);
        var dir = $"{sftp.HomeDirectory.TrimEnd('/')}/oriel-sftp-{Guid.NewGuid():N}";

        await sftp.CreateDirectoryAsync(dir, cts.Token);
        await sftp.CreateDirectoryAsync($"{dir}/sub", cts.Token);
        await using (var file = await sftp.OpenWriteAsync($"{dir}/a.txt", 0, create: true, cts.Token)) await file.WriteAsync("hello"u8.ToArray(), cts.Token);

        var listed = await sftp.ListAsync(dir, cts.Token);
        Assert.Equal(["a.txt", "sub"], listed.Select(e => e.Name).Order(StringComparer.Ordinal));
        var a = listed.Single(e => e.Name == "a.txt");
        Assert.Equal((SftpEntryKind.File, 5L, $"{dir}/a.txt"), (a.Kind, a.Size, a.Path));
        Assert.NotEqual(0, a.Mode & 0x100); // owner may read
        Assert.Equal(SftpEntryKind.Directory, listed.Single(e => e.Name == "sub").Kind);
        Assert.True(a.Modified > DateTimeOffset.UtcNow.AddHours(-1));

        await sftp.RenameAsync($"{dir}/a.txt", $"{dir}/b.txt", cts.Token);
        Assert.Equal(["b.txt", "sub"], (await sftp.ListAsync(dir, cts.Token)).Select(e => e.Name).Order(StringComparer.Ordinal));

        var missing = await Assert.ThrowsAsync<SftpFailure>(() => sftp.StatAsync($"{dir}/a.txt", cts.Token));
        Assert.Equal(SftpFailureKind.NotFound, missing.Kind);
        Assert.Contains("a.txt", missing.Message, StringComparison.Ordinal);
        var missingRead = await Assert.ThrowsAsync<SftpFailure>(() => sftp.OpenReadAsync($"{dir}/nope", cts.Token));
        Assert.Equal(SftpFailureKind.NotFound, missingRead.Kind);
        var denied = await Assert.ThrowsAsync<SftpFailure>(() => sftp.OpenWriteAsync("/etc/oriel-not-allowed", 0, create: true, cts.Token));
        Assert.Equal(SftpFailureKind.PermissionDenied, denied.Kind);
        var notEmpty = await Assert.ThrowsAsync<SftpFailure>(() => sftp.DeleteAsync(dir, cts.Token));
        Assert.Equal(SftpFailureKind.Failed, notEmpty.Kind);

        await sftp.DeleteAsync($"{dir}/b.txt", cts.Token);
        await sftp.DeleteAsync($"{dir}/sub", cts.Token);
        await sftp.DeleteAsync(dir, cts.Token);
        Assert.Equal(SftpFailureKind.NotFound, (await Assert.ThrowsAsync<SftpFailure>(() => sftp.ListAsync(dir, cts.Token))).Kind);
    }

    [Fact(Timeout = 60_000)]
    public async Task Sftp_checks_the_host_key_like_the_terminal()
    {
        await using var server = await SshdServer.StartAsync(new SshdOptions { UsePam = false });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(50));

        var failure = await Assert.ThrowsAsync<SshFailure>(() => Connector().ConnectSftpAsync(Request(server, Password()) with { AcceptHostKey = _ => false }, cts.Token));

        Assert.Equal(SshFailureKind.HostKeyRefused, failure.Kind);
        Assert.Equal(server.HostKey("ssh-ed25519").Sha256Fingerprint, failure.PresentedHostKey?.FingerprintSha256);
    }
}
