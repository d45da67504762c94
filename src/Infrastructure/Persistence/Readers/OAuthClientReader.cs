using AuthPlatform.Application.OAuth.Clients.Common;
using MapsterMapper;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Infrastructure.Persistence.Readers;

public sealed class OAuthClientReader(AuthDbContext db, IMapper mapper) : IOAuthClientReader
{
    public async Task<IReadOnlyList<OAuthClientResponse>> ListAsync(Guid? ownerId, CancellationToken cancellationToken)
    {
        var clients = db.OAuthClients.AsNoTracking();
        if (ownerId is { } owner)
        {
            clients = clients.Where(c => c.OwnerId == owner);
        }

        var rows = await clients.OrderByDescending(c => c.CreatedAt).ToListAsync(cancellationToken);
        return mapper.Map<List<OAuthClientResponse>>(rows);
    }

    public async Task<IReadOnlyDictionary<string, string>> NamesAsync(IReadOnlyCollection<string> clientIds, CancellationToken cancellationToken)
    {
        if (clientIds.Count == 0)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        var ids = clientIds.Distinct(StringComparer.Ordinal).ToList();
        return await db.OAuthClients.AsNoTracking()
            .Where(c => ids.Contains(c.ClientId))
            .ToDictionaryAsync(c => c.ClientId, c => c.Name, StringComparer.Ordinal, cancellationToken);
    }
}
