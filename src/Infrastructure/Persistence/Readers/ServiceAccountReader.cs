using AuthPlatform.Application.ServiceAccounts.Common;
using MapsterMapper;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Infrastructure.Persistence.Readers;

public sealed class ServiceAccountReader(AuthDbContext db, IMapper mapper) : IServiceAccountReader
{
    public async Task<IReadOnlyList<ServiceAccountResponse>> ListAsync(Guid? ownerId, CancellationToken cancellationToken)
    {
        var accounts = db.ServiceAccounts.AsNoTracking().Include(a => a.Secrets).Where(a => a.DeletedAt == null);
        if (ownerId is { } owner)
        {
            accounts = accounts.Where(a => a.OwnerId == owner);
        }

        var rows = await accounts.OrderByDescending(a => a.CreatedAt).ToListAsync(cancellationToken);
        return mapper.Map<List<ServiceAccountResponse>>(rows);
    }

    public async Task<ServiceAccountResponse?> FindByClientIdAsync(string clientId, CancellationToken cancellationToken)
    {
        var row = await db.ServiceAccounts.AsNoTracking().Include(a => a.Secrets)
            .FirstOrDefaultAsync(a => a.ClientId == clientId && a.DeletedAt == null, cancellationToken);
        return row is null ? null : mapper.Map<ServiceAccountResponse>(row);
    }
}
