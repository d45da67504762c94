using AuthPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Architecture.Tests.Fixtures;

/// <summary>
/// Not a real controller: a deliberate violation, so the controller rule can be shown to catch
/// a DbContext used only inside an async action (whose body the compiler moves to a nested type).
/// </summary>
internal sealed class LeakyController(AuthDbContext db)
{
    public async Task<int> CountUsersAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        return await db.Users.CountAsync(cancellationToken);
    }
}
