using AuthPlatform.Application.ApiKeys.Common;
using MapsterMapper;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Infrastructure.Persistence.Readers;

public sealed class ApiKeyReader(AuthDbContext db, IMapper mapper) : IApiKeyReader
{
    public async Task<IReadOnlyList<ApiKeyResponse>> ListAsync(Guid? ownerId, CancellationToken cancellationToken)
    {
        // A service account's keys belong to the account, not to its owner's own list.
        var keys = db.ApiKeys.AsNoTracking().Where(k => k.ServiceAccountId == null);
        if (ownerId is { } owner)
        {
            keys = keys.Where(k => k.OwnerId == owner);
        }

        var rows = await keys.OrderByDescending(k => k.CreatedAt).ToListAsync(cancellationToken);
        return mapper.Map<List<ApiKeyResponse>>(rows);
    }

    public async Task<IReadOnlyList<ApiKeyResponse>> ListForServiceAccountAsync(Guid serviceAccountId, CancellationToken cancellationToken)
    {
        var rows = await db.ApiKeys.AsNoTracking()
            .Where(k => k.ServiceAccountId == serviceAccountId)
            .OrderByDescending(k => k.CreatedAt)
            .ToListAsync(cancellationToken);
        return mapper.Map<List<ApiKeyResponse>>(rows);
    }
}
