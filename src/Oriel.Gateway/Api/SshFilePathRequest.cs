namespace Oriel.Gateway.Api;

/// <summary>Body of <c>POST /api/sessions/live/{sessionId}/files/mkdir</c> and <c>.../delete</c>.</summary>
public sealed record SshFilePathRequest(string? Path);
