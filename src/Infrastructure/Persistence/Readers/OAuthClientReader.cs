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
}
