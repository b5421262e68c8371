namespace Oriel.Testing.Fuzzing;

/// <summary>
/// One decoder of untrusted bytes as the fuzzer drives it. <see cref="Run"/> returns when the input was
/// decoded or rejected the documented way (<see cref="Oriel.Wire.DecodeException"/>, and for the RFB
/// handshake <see cref="Oriel.Rfb.RfbSecurityException"/>); any other exception escaping it is a finding,
/// and so is not returning at all (a hang).
/// </summary>
/// <param name="Name">The name scripts/fuzz and tests/fuzz-regressions/ use.</param>
/// <param name="Description">What the input bytes are.</param>
/// <param name="Run">Decodes one input.</param>
public sealed record FuzzTarget(string Name, string Description, Action<byte[]> Run)
{
    public override string ToString() => Name;
}
