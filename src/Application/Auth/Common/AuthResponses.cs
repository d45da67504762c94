using AuthPlatform.Domain.Users;

namespace AuthPlatform.Application.Auth.Common;

public sealed record UserResponse(Guid Id, string Email, string Name, string Role, DateTimeOffset CreatedAt)
{
    public static string RoleName(UserRole role) => role == UserRole.Admin ? "admin" : "user";

    /// <summary>The role a <see cref="RoleName"/> names (exactly, in lower case), or null.</summary>
    public static UserRole? ParseRole(string? name) => name switch
    {
        "admin" => UserRole.Admin,
        "user" => UserRole.User,
        _ => null,
    };
}

public sealed record SessionUser(Guid Id, string Email, string Name, string Role);

/// <summary>A new access token and its refresh token.</summary>
public sealed record TokenPair(string Token, string RefreshToken, string TokenType, int ExpiresIn, DateTimeOffset ExpiresAt);

/// <summary>The answer to a completed login (SPEC section 2).</summary>
public sealed record SessionResponse(
    string Token, string RefreshToken, string TokenType, int ExpiresIn, DateTimeOffset ExpiresAt, SessionUser User);
