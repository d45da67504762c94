using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Domain.OAuth;
using AuthPlatform.Domain.Users;
using AuthPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Infrastructure.OAuth;

/// <summary>
/// Registered OAuth clients as clients of the token endpoint (ADR 0014): one read by the unique
/// client id (with the secrets' hashes and the registrant's role, standing and stamp), for ids with
/// the <c>oc_</c> prefix only. A public client has no secret; a confidential one authenticates
/// with one of its unexpired secrets. A client of a disabled registrant authenticates nothing; the
/// server's built-in client has no registrant.
/// </summary>
public sealed class OAuthClientStore(AuthDbContext db) : IClientStore
{
    public async Task<ClientRegistration?> FindAsync(string clientId, CancellationToken cancellationToken)
    {
        if (!OAuthClient.IsWellFormedClientId(clientId))
        {
            return null;
        }

        var found = await db.OAuthClients.AsNoTracking()
            .Where(c => c.ClientId == clientId)
            .Select(c => new
            {
                c.Id,
                c.ClientId,
                c.Type,
                c.Scopes,
                c.GrantTypes,
                c.OwnerId,
                c.FirstParty,
                Secrets = c.Secrets.Select(s => new { s.Id, s.SecretHash, s.ExpiresAt }).ToList(),
                Owner = db.Users.Where(u => u.Id == c.OwnerId).Select(u => new { u.Role, u.IsDisabled, u.SecurityStamp }).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return null;
        }

        return new ClientRegistration(
            ClientKind.OAuthClient,
            found.Id,
            found.ClientId,
            found.Type == OAuthClientType.Confidential,
            found.Scopes,
            found.GrantTypes,
            found.Secrets.Select(s => new StoredClientSecret(s.Id, s.SecretHash, s.ExpiresAt)).ToArray(),
            found.OwnerId,
            found.Owner?.Role,
            found.OwnerId is not null && (found.Owner is null || found.Owner.IsDisabled))
        {
            OwnerStampFingerprint = found.Owner is null ? null : SecurityStamps.Fingerprint(found.Owner.SecurityStamp),
            FirstParty = found.FirstParty,
        };
    }
}
