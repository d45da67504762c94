using AuthPlatform.Application.ServiceAccounts.Common;
using AuthPlatform.Domain.ApiKeys;
using AuthPlatform.Domain.ServiceAccounts;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Infrastructure.Persistence.Repositories;

public sealed class ServiceAccountRepository(AuthDbContext db) : IServiceAccountRepository
{
    public Task<ServiceAccount?> FindByIdAsync(Guid id, CancellationToken cancellationToken) =>
        db.ServiceAccounts.Include(a => a.Secrets).FirstOrDefaultAsync(a => a.Id == id, cancellationToken);

    public async Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(Guid serviceAccountId, CancellationToken cancellationToken) =>
        await db.ApiKeys.Where(k => k.ServiceAccountId == serviceAccountId).ToListAsync(cancellationToken);

    public void Add(ServiceAccount account) => db.ServiceAccounts.Add(account);
}
