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

    public async Task<IReadOnlyList<ApiKey>> ListCreatedByAsync(IReadOnlyCollection<Guid> creatorIds, CancellationToken cancellationToken)
    {
        var ids = creatorIds.Select(id => (Guid?)id).ToList();
        return await db.ApiKeys.Where(k => ids.Contains(k.CreatedByKeyId)).OrderBy(k => k.CreatedAt).ToListAsync(cancellationToken);
    }

    // SET revoked_at = revoked_at: nothing changes, but the row is write-locked until the commit
    // (PostgreSQL and SQL Server lock each row an UPDATE matches; SQLite has one writer at a time).
    public async Task<bool> HoldIfActiveAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.ApiKeys
            .Where(k => k.Id == id && k.RevokedAt == null && (k.ExpiresAt == null || k.ExpiresAt > now))
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, k => k.RevokedAt), cancellationToken) == 1;

    public void Add(ApiKey key) => db.ApiKeys.Add(key);

    public void Remove(ApiKey key) => db.ApiKeys.Remove(key);
}
