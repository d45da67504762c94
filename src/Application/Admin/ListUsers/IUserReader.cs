using AuthPlatform.Application.Admin.Common;

namespace AuthPlatform.Application.Admin.ListUsers;

/// <summary><paramref name="EmailFragment"/> matches anywhere in the address, case-insensitively; null lists everyone.</summary>
public sealed record UserFilter(string? EmailFragment, int Page, int PageSize);

/// <summary>Reads users for administrators without tracking (a query port, not a repository).</summary>
public interface IUserReader
{
    /// <summary>
    /// Oldest account first (then by id), so that pages are stable while accounts are added;
    /// <see cref="AdminUserResponse.Locked"/> is left false (the attempt budgets say it).
    /// </summary>
    Task<UserPage> ListAsync(UserFilter filter, CancellationToken cancellationToken);
}
