namespace Oriel.Gateway.Api;

/// <summary>Body of <c>POST /api/auth/signin</c>.</summary>
public sealed record SignInRequest(string? Username, string? Password);
