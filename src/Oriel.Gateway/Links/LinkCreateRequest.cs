namespace Oriel.Gateway.Links;

/// <summary>Body of <c>POST /api/links</c>.</summary>
/// <param name="User">The username the link signs in.</param>
/// <param name="Target">The target id it opens.</param>
/// <param name="Viewer">"builtin" (default) or "novnc".</param>
/// <param name="TtlSeconds">Lifetime, 10..600 seconds; default 120.</param>
public sealed record LinkCreateRequest(string? User, string? Target, string? Viewer, int? TtlSeconds);
