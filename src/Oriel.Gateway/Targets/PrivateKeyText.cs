using System.Text;

namespace Oriel.Gateway.Targets;

/// <summary>
/// A cheap check that text is a private key the SSH client can be handed: one PEM block whose label ends in
/// "PRIVATE KEY" (<c>-----BEGIN OPENSSH PRIVATE KEY-----</c>, RSA, EC, DSA, PKCS#8 and encrypted PKCS#8), with the
/// matching END line and a base64 body (RFC 7468 textual encoding; the legacy "Proc-Type"/"DEK-Info" headers of
/// encrypted PEM keys are allowed before the body). It does not parse the key itself: the SSH client does that when it
/// connects, and says so if the passphrase is wrong. What it catches is the usual mistake: a public key, a PuTTY key,
/// a truncated paste, or the wrong file.
/// </summary>
public static class PrivateKeyText
{
    /// <summary>Largest key text accepted (an 16384-bit RSA key in PEM is about 13 KB).</summary>
    public const int MaxLength = 32 * 1024;

    private const string Dashes = "-----";

    /// <summary>
    /// Returns the key with its lines ending in "\n" (CR LF from a Windows file or a paste becomes LF, surrounding blank
    /// lines are dropped), or throws <see cref="ArgumentException"/> with a sentence saying what is wrong.
    /// </summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxLength)
        {
            throw new ArgumentException($"the private key is larger than {MaxLength} characters; it is not a key file");
        }

        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Trim().Split('\n');
        if (lines[0].StartsWith("PuTTY-User-Key-File", StringComparison.Ordinal))
        {
            throw new ArgumentException("the private key is a PuTTY key (.ppk); convert it with: puttygen KEY.ppk -O private-openssh -o KEY");
        }

        if (lines[0].StartsWith("ssh-", StringComparison.Ordinal) || lines[0].StartsWith("ecdsa-", StringComparison.Ordinal))
        {
            throw new ArgumentException("this is a public key (one line starting with its algorithm); the private key is the file without .pub");
        }

        var begin = lines[0].TrimEnd();
        if (!begin.StartsWith(Dashes + "BEGIN ", StringComparison.Ordinal) || !begin.EndsWith("PRIVATE KEY" + Dashes, StringComparison.Ordinal))
        {
            throw new ArgumentException("the private key must start with a line like -----BEGIN OPENSSH PRIVATE KEY-----");
        }

        var label = begin[(Dashes.Length + "BEGIN ".Length)..^Dashes.Length];
        var end = Dashes + "END " + label + Dashes;
        if (lines.Length < 3 || lines[^1].TrimEnd() != end)
        {
            throw new ArgumentException($"the private key must end with the line {end} (is it cut short?)");
        }

        var body = new StringBuilder();
        var inHeaders = true;
        for (var i = 1; i < lines.Length - 1; i++)
        {
            var line = lines[i].Trim();
            if (inHeaders && line.Contains(':', StringComparison.Ordinal))
            {
                continue; // RFC 1421 headers of legacy encrypted PEM keys (Proc-Type, DEK-Info)
            }

            inHeaders = false;
            if (line.Length == 0)
            {
                continue;
            }

            if (line.AsSpan().IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") >= 0)
            {
                throw new ArgumentException($"line {i + 1} of the private key is not base64");
            }

            body.Append(line);
        }

        var bytes = new byte[body.Length];
        if (body.Length == 0 || !Convert.TryFromBase64String(body.ToString(), bytes, out var written) || written == 0)
        {
            throw new ArgumentException("the body of the private key is not valid base64");
        }

        return string.Join('\n', lines.Select(l => l.TrimEnd())) + "\n";
    }
}
