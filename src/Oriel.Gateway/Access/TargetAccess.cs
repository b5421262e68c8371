using Oriel.Gateway.Storage;

namespace Oriel.Gateway.Access;

/// <summary>A target a user may reach, with the permissions they have on it.</summary>
public sealed record TargetAccess(TargetRecord Target, SessionPermissions Permissions);
