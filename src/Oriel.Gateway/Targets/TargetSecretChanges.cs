namespace Oriel.Gateway.Targets;

/// <summary>
/// What to do with a target's stored secrets when it is saved (<see cref="TargetService.SaveWithSecretsAsync"/>).
/// For each: null keeps the stored one, "" clears it, anything else replaces it (encrypted).
/// </summary>
/// <param name="Password">The password of the target's own username.</param>
/// <param name="PrivateKey">SSH targets: a private key, OpenSSH or PEM text (checked by <see cref="PrivateKeyText"/>).</param>
/// <param name="PrivateKeyPassphrase">SSH targets: the passphrase of the private key. Clearing the key clears it too.</param>
public sealed record TargetSecretChanges(string? Password = null, string? PrivateKey = null, string? PrivateKeyPassphrase = null)
{
    /// <summary>Keep every stored secret.</summary>
    public static TargetSecretChanges None { get; } = new();

    /// <summary>Secret text never appears in logs or exceptions.</summary>
    public override string ToString() =>
        $"password {Describe(Password)}, private key {Describe(PrivateKey)}, passphrase {Describe(PrivateKeyPassphrase)}";

    private static string Describe(string? secret) => secret switch { null => "kept", "" => "cleared", _ => "replaced" };
}
