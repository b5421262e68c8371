namespace Oriel.Gateway.Api;

/// <summary>Body of <c>POST /api/auth/password</c>.</summary>
public sealed record PasswordChangeRequest(string? CurrentPassword, string? NewPassword);
