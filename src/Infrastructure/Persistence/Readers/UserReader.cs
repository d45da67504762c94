using AuthPlatform.Application.Admin.Common;
using AuthPlatform.Application.Admin.ListUsers;
using AuthPlatform.Application.Auth.Common;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Infrastructure.Persistence.Readers;

public sealed class UserReader(AuthDbContext db) : IUserReader
{
    public async Task<UserPage> ListAsync(UserFilter filter, CancellationToken cancellationToken)
    {
        var users = db.Users.AsNoTracking();
        if (filter.EmailFragment is { } fragment)
        {
            // The fragment is normalised like the stored form: a plain substring test, no LIKE wildcards.
            users = users.Where(u => u.NormalizedEmail.Contains(fragment));
        }

        var total = await users.CountAsync(cancellationToken);
        var rows = await users
            .OrderBy(u => u.CreatedAt)
            .ThenBy(u => u.Id)
            .Skip((filter.Page - 1) * filter.PageSize)
            .Take(filter.PageSize)
            .Select(u => new { u.Id, u.Email, u.Name, u.Role, u.CreatedAt, u.IsDisabled, u.TwoFactorEnabled })
            .ToListAsync(cancellationToken);
        var items = rows
            .Select(u => new AdminUserResponse(
                u.Id, u.Email.Value, u.Name, UserResponse.RoleName(u.Role), u.CreatedAt, u.IsDisabled, false, null, u.TwoFactorEnabled))
            .ToList();
        return new UserPage(items, filter.Page, filter.PageSize, total);
    }
}
