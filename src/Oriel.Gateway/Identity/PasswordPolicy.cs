using System.Diagnostics.CodeAnalysis;

namespace Oriel.Gateway.Identity;

/// <summary>Rules for usernames and for passwords people choose (NIST SP 800-63B: length, not composition).</summary>
public static class PasswordPolicy
{
    public const int MinLength = 10;
    public const int MaxLength = 1024;
    public const int MaxUsernameLength = 64;

    public static bool IsAcceptable(string? password, [NotNullWhen(false)] out string? why)
    {
        why = password is null || password.Length < MinLength ? $"password must be at least {MinLength} characters"
            : password.Length > MaxLength ? $"password must be at most {MaxLength} characters"
            : null;
        return why is null;
    }

    /// <summary>Letters, digits, '.', '_', '-', '@', starting with a letter or digit, at most 64.</summary>
    public static bool IsValidUsername([NotNullWhen(true)] string? name) =>
        !string.IsNullOrEmpty(name)
        && name.Length <= MaxUsernameLength
        && char.IsAsciiLetterOrDigit(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@');
}
