namespace Oriel.Gateway.Api;

/// <summary>Body of <c>POST /api/sessions/live/{sessionId}/files/rename</c>: the path to move and its new path.</summary>
public sealed record SshFileRenameRequest(string? From, string? To);
