using Oriel.TestPeers;

namespace Oriel.Gateway.Tests;

/// <summary>Private keys made by the real <c>ssh-keygen</c> for the vault tests (OpenSSH format, and PEM for RSA).</summary>
internal static class SshTestKeys
{
    /// <summary>Makes a key of <paramref name="type"/> in <paramref name="dir"/>; returns the private key file's path (the public key is beside it, ".pub").</summary>
    public static async Task<string> CreateAsync(string dir, string type = "ed25519", string? passphrase = null, bool pem = false)
    {
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, $"key-{type}-{Guid.NewGuid():N}");
        string[] args = ["-q", "-t", type, "-N", passphrase ?? "", "-C", "oriel-gateway-test", "-f", path];
        if (pem)
        {
            args = [.. args, "-m", "PEM"];
        }

        (await ProcessRunner.RunAsync(["ssh-keygen", .. args])).EnsureSuccess();
        return path;
    }
}
