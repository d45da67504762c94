using AuthPlatform.Application.Common.Results;

namespace AuthPlatform.Application.Admin.Common;

/// <summary>A user as an administrator sees them (never a secret, a hash or a stamp).</summary>
public sealed record AdminUserResponse(
    Guid Id,
    string Email,
    string Name,
    string Role,
    DateTimeOffset CreatedAt,
    bool Disabled,
    bool Locked,
    DateTimeOffset? LockedUntil,
    bool TwoFactorEnabled);

/// <summary>One page of users, and how many match in all.</summary>
public sealed record UserPage(IReadOnlyList<AdminUserResponse> Items, int Page, int PageSize, int Total);

public static class AdminUsers
{
    public static readonly Error NotFound = Error.NotFound("The user");
}
