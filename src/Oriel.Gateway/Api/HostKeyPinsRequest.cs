namespace Oriel.Gateway.Api;

/// <summary>The body of <c>PUT /api/admin/targets/{id}/host-key-pins</c>: the SSH host key fingerprints to pin ("SHA256:..."); empty clears them.</summary>
public sealed record HostKeyPinsRequest(IReadOnlyList<string>? Pins);
