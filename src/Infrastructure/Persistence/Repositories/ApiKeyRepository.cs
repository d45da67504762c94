using AuthPlatform.Application.ApiKeys.Common;
using AuthPlatform.Domain.ApiKeys;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Infrastructure.Persistence.Repositories;

public sealed class ApiKeyRepository(AuthDbContext db) : IApiKeyRepository
{
    public Task<ApiKey?> FindByIdAsync(Guid id, CancellationToken cancellationToken) =>
        db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, cancellationToken);

    public async Task<IReadOnlyList<string>> ListKeyHashesOfOwnerAsync(Guid ownerId, CancellationToken cancellationToken) =>
        await db.ApiKeys.AsNoTracking().Where(k => k.OwnerId == ownerId && k.RevokedAt == null).Select(k => k.KeyHash).ToListAsync(cancellationToken);

    public void Add(ApiKey key) => db.ApiKeys.Add(key);

    public void Remove(ApiKey key) => db.ApiKeys.Remove(key);
}
