using Renci.SshNet;
using ConnectionInfo = Renci.SshNet.ConnectionInfo;

namespace Oriel.Gateway.Ssh;

/// <summary>
/// The algorithms Oriel offers, in order, applied to SSH.NET's <see cref="ConnectionInfo"/> by editing its ordered
/// dictionaries (the library's own implementations, only re-ordered and filtered). AEAD ciphers first (GCM is the
/// fastest in SSH.NET; ChaCha20-Poly1305 is much slower there), then AES-CTR with encrypt-then-MAC SHA-2 MACs; the
/// non-ETM SHA-2 MACs last for older servers. Never CBC, 3DES, SHA-1 or MD5 MACs, ssh-rsa (SHA-1) or DSA host keys,
/// SHA-1 or 1024-bit Diffie-Hellman, or compression. Strict key exchange ("kex-strict-c-v00@openssh.com", the Terrapin
/// countermeasure) is not a dictionary entry: SSH.NET appends it to the first KEXINIT itself.
/// </summary>
internal static class SshNetAlgorithms
{
    public static readonly string[] KeyExchange =
    [
        "mlkem768x25519-sha256",
        "sntrup761x25519-sha512",
        "sntrup761x25519-sha512@openssh.com",
        "curve25519-sha256",
        "curve25519-sha256@libssh.org",
        "ecdh-sha2-nistp256",
        "ecdh-sha2-nistp384",
        "ecdh-sha2-nistp521",
        "diffie-hellman-group-exchange-sha256",
        "diffie-hellman-group16-sha512",
        "diffie-hellman-group18-sha512",
        "diffie-hellman-group14-sha256",
    ];

    public static readonly string[] HostKey =
    [
        "ssh-ed25519",
        "ecdsa-sha2-nistp256",
        "ecdsa-sha2-nistp384",
        "ecdsa-sha2-nistp521",
        "rsa-sha2-512",
        "rsa-sha2-256",
    ];

    public static readonly string[] Ciphers =
    [
        "aes128-gcm@openssh.com",
        "aes256-gcm@openssh.com",
        "chacha20-poly1305@openssh.com",
        "aes128-ctr",
        "aes192-ctr",
        "aes256-ctr",
    ];

    public static readonly string[] Macs =
    [
        "hmac-sha2-256-etm@openssh.com",
        "hmac-sha2-512-etm@openssh.com",
        "hmac-sha2-256",
        "hmac-sha2-512",
    ];

    public static readonly string[] Compression = ["none"];

    /// <summary>Replaces each list of <paramref name="info"/> with Oriel's, in Oriel's order.</summary>
    /// <exception cref="InvalidOperationException">SSH.NET lacks one of the algorithms (the library changed).</exception>
    public static void Apply(ConnectionInfo info)
    {
        Keep(info.KeyExchangeAlgorithms, KeyExchange, "key exchange");
        Keep(info.HostKeyAlgorithms, HostKey, "host key");
        Keep(info.Encryptions, Ciphers, "cipher");
        Keep(info.HmacAlgorithms, Macs, "MAC");
        Keep(info.CompressionAlgorithms, Compression, "compression");
    }

    private static void Keep<TValue>(IOrderedDictionary<string, TValue> algorithms, string[] wanted, string what)
    {
        var values = new List<KeyValuePair<string, TValue>>(wanted.Length);
        foreach (var name in wanted)
        {
            if (!algorithms.TryGetValue(name, out var value))
            {
                throw new InvalidOperationException($"SSH.NET {SshNetChannelBridge.LoadedVersion} has no {what} algorithm \"{name}\" (built against {SshNetChannelBridge.PinnedVersion}).");
            }
            values.Add(new(name, value));
        }
        algorithms.Clear();
        foreach (var (name, value) in values) algorithms.Add(name, value);
    }
}
