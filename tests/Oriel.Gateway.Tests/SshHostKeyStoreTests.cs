using Oriel.Gateway.Audit;
using Oriel.Gateway.Ssh;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;

namespace Oriel.Gateway.Tests;

/// <summary>
/// Trust on first use through the registered <see cref="ISshHostKeyStore"/>: the first key is pinned only while the
/// target has none and still trusts on first use, audited <c>ssh.hostkey.pinned</c>; two sessions racing to pin
/// different keys cannot both win; an administrator replaces or clears pins, audited.
/// </summary>
public sealed class SshHostKeyStoreTests : IAsyncLifetime
{
    private static readonly SshHostKey Ed25519 = new("ssh-ed25519", "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s", 256);
    private static readonly SshHostKey Ecdsa = new("ecdsa-sha2-nistp256", "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU", 256);

    private TestGateway _gw = null!;

    public async Task InitializeAsync()
    {
        _gw = await TestGateway.StartAsync();
        await _gw.Get<TargetService>().SaveAsync(
            new TargetRecord("shell", "Shell", "192.0.2.60", 22, "", new Dictionary<string, string>(), "tester", null, SshTargetSettings.Default, false), null, "tests");
    }

    public async Task DisposeAsync() => await _gw.DisposeAsync();

    [Fact]
    public async Task TheFirstKeyIsPinned_Audited_AndADifferentKeyIsThenRefused()
    {
        var keys = _gw.Get<ISshHostKeyStore>();
        Assert.IsType<SshHostKeyStore>(keys);

        Assert.True(await keys.PinAsync("shell", Ed25519, "erin", CancellationToken.None));
        Assert.Equal([Ed25519.FingerprintSha256], await PinsAsync());
        var pinned = Assert.Single(await _gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = SshAuditKinds.HostKeyPinned }));
        Assert.Equal(("erin", "shell"), (pinned.Actor, pinned.Target));
        Assert.Equal(("ssh-ed25519", Ed25519.FingerprintSha256, 256),
            (pinned.Details!["algorithm"]!.GetValue<string>(), pinned.Details["fingerprint"]!.GetValue<string>(), pinned.Details["bits"]!.GetValue<int>()));

        Assert.True(await keys.PinAsync("shell", Ed25519, "frank", CancellationToken.None)); // the same key: already the pin, nothing written
        Assert.False(await keys.PinAsync("shell", Ecdsa, "frank", CancellationToken.None));
        Assert.Equal([Ed25519.FingerprintSha256], await PinsAsync());
        Assert.Single(await _gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = SshAuditKinds.HostKeyPinned }));
    }

    [Fact]
    public async Task NothingIsPinned_WhenTheTargetDoesNotTrustOnFirstUse_IsGone_OrIsNotSsh()
    {
        var keys = _gw.Get<ISshHostKeyStore>();
        var store = _gw.Get<IOrielStore>();
        var shell = (await store.FindTargetAsync("shell"))!;
        await _gw.Get<TargetService>().SaveAsync(shell with { Settings = SshTargetSettings.Default with { TrustOnFirstUse = false } }, null, "tests");
        Assert.False(await keys.PinAsync("shell", Ed25519, "erin", CancellationToken.None));
        Assert.Empty(await PinsAsync());
        Assert.False(await keys.PinAsync("no-such-target", Ed25519, "erin", CancellationToken.None));
        await _gw.Get<TargetService>().SaveAsync(
            new TargetRecord("desk", "Desk", "192.0.2.61", 5900, "", new Dictionary<string, string>(), null, null, VncTargetSettings.Default, false), null, "tests");
        Assert.False(await keys.PinAsync("desk", Ed25519, "erin", CancellationToken.None));
        Assert.Empty(await _gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = SshAuditKinds.HostKeyPinned }));
        await Assert.ThrowsAsync<ArgumentException>(() => keys.PinAsync("shell", Ed25519 with { FingerprintSha256 = "MD5:00" }, "erin", CancellationToken.None));
    }

    [Fact]
    public async Task SessionsRacingToPinDifferentKeys_OneWins()
    {
        var keys = _gw.Get<ISshHostKeyStore>();
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => keys.PinAsync("shell", i % 2 == 0 ? Ed25519 : Ecdsa, $"user{i}", CancellationToken.None))));
        var pins = await PinsAsync();
        var winner = Assert.Single(pins);
        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal((i % 2 == 0 ? Ed25519 : Ecdsa).FingerprintSha256 == winner, results[i]);
        }

        Assert.Single(await _gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = SshAuditKinds.HostKeyPinned }));
    }

    [Fact]
    public async Task AnAdministratorReplacesOrClearsThePins_Audited()
    {
        var keys = _gw.Get<ISshHostKeyStore>();
        var targets = _gw.Get<TargetService>();
        Assert.True(await keys.PinAsync("shell", Ed25519, "erin", CancellationToken.None));

        await targets.SetHostKeyPinsAsync("shell", [Ecdsa.FingerprintSha256], "root");
        Assert.Equal([Ecdsa.FingerprintSha256], await PinsAsync());
        var replaced = (await _gw.Get<IAuditLog>().QueryAsync(new AuditQuery { Kind = AuditKinds.TargetUpdate, Limit = 1 }))[0];
        Assert.Equal("root", replaced.Actor);
        Assert.Equal(Ecdsa.FingerprintSha256, replaced.Details!["hostKeyPins"]![0]!.GetValue<string>());
        Assert.Equal(Ed25519.FingerprintSha256, replaced.Details["previousHostKeyPins"]![0]!.GetValue<string>());

        await targets.SetHostKeyPinsAsync("shell", [], "root");
        Assert.Empty(await PinsAsync());
        Assert.True(await keys.PinAsync("shell", Ed25519, "erin", CancellationToken.None)); // trust on first use again

        await Assert.ThrowsAsync<ArgumentException>(() => targets.SetHostKeyPinsAsync("shell", ["SHA256:nope"], "root"));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => targets.SetHostKeyPinsAsync("gone", [], "root"));
    }

    private async Task<IReadOnlyList<string>> PinsAsync() =>
        Assert.IsType<SshTargetSettings>((await _gw.Get<IOrielStore>().FindTargetAsync("shell"))!.Settings).HostKeyPins;
}
