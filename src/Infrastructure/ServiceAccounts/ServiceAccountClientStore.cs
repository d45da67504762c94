using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Domain.ServiceAccounts;
using AuthPlatform.Domain.Users;
using AuthPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Infrastructure.ServiceAccounts;

/// <summary>
/// Service accounts as clients of the token endpoint: one read by the unique client id (with the
/// secrets' hashes and the owner's role and standing), for ids with the <c>sa_</c> prefix only.
/// </summary>
public sealed class ServiceAccountClientStore(AuthDbContext db) : IClientStore
{
    private static readonly string[] Grants = [GrantTypes.ClientCredentials];

    public async Task<ClientRegistration?> FindAsync(string clientId, CancellationToken cancellationToken)
    {
        if (!clientId.StartsWith(ServiceAccount.ClientIdPrefix, StringComparison.Ordinal) || clientId.Length > ServiceAccount.MaxClientIdLength)
        {
            return null;
        }

        var found = await db.ServiceAccounts.AsNoTracking()
            .Where(a => a.ClientId == clientId && a.DeletedAt == null)
            .Select(a => new
            {
                a.Id,
                a.ClientId,
                a.Scopes,
                a.OwnerId,
                Secrets = a.Secrets.Select(s => new { s.Id, s.SecretHash, s.ExpiresAt }).ToList(),
                Owner = db.Users.Where(u => u.Id == a.OwnerId).Select(u => new { u.Role, u.IsDisabled, u.SecurityStamp }).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return null;
        }

        return new ClientRegistration(
            ClientKind.ServiceAccount,
            found.Id,
            found.ClientId,
            IsConfidential: true,
            found.Scopes,
            Grants,
            found.Secrets.Select(s => new StoredClientSecret(s.Id, s.SecretHash, s.ExpiresAt)).ToArray(),
            found.OwnerId,
            found.Owner?.Role,
            found.Owner is null || found.Owner.IsDisabled)
        {
            OwnerStampFingerprint = found.Owner is null ? null : SecurityStamps.Fingerprint(found.Owner.SecurityStamp),
        };
    }
}
