using AuthPlatform.Application.Signing;
using AuthPlatform.Domain.Signing;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Infrastructure.Persistence.Repositories;

public sealed class SigningKeyRepository(AuthDbContext db) : ISigningKeyRepository
{
    public async Task<IReadOnlyList<SigningKey>> ListAsync(CancellationToken cancellationToken) =>
        await db.SigningKeys.ToListAsync(cancellationToken);

    public void Add(SigningKey key) => db.SigningKeys.Add(key);
}
