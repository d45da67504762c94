using AuthPlatform.Application.Admin.Common;
using AuthPlatform.Infrastructure.Persistence.Throttling;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Infrastructure.Persistence.Readers;

public sealed class AccountLockReader(AuthDbContext db) : IAccountLockReader
{
    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> LockedUntilAsync(
        IReadOnlyCollection<string> accounts, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (accounts.Count == 0)
        {
            return new Dictionary<string, DateTimeOffset>();
        }

        var locks = await db.Set<AttemptCounter>().AsNoTracking()
            .Where(c => accounts.Contains(c.Account) && c.LockedUntil != null && c.LockedUntil > now)
            .Select(c => new { c.Account, c.LockedUntil })
            .ToListAsync(cancellationToken);
        return locks
            .GroupBy(l => l.Account, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Max(l => l.LockedUntil!.Value), StringComparer.Ordinal);
    }
}
