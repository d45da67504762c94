using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Application.OAuth.Device.Common;
using AuthPlatform.Domain.OAuth;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Infrastructure.Persistence.Repositories;

public sealed class OAuthClientRepository(AuthDbContext db) : IOAuthClientRepository
{
    public Task<OAuthClient?> FindByIdAsync(Guid id, CancellationToken cancellationToken) =>
        db.OAuthClients.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);

    public Task<OAuthClient?> FindByClientIdAsync(string clientId, CancellationToken cancellationToken) =>
        OAuthClient.IsWellFormedClientId(clientId)
            ? db.OAuthClients.FirstOrDefaultAsync(c => c.ClientId == clientId, cancellationToken)
            : Task.FromResult<OAuthClient?>(null);

    public void Add(OAuthClient client) => db.OAuthClients.Add(client);

    public void Remove(OAuthClient client) => db.OAuthClients.Remove(client);
}

public sealed class AuthorizationCodeRepository(AuthDbContext db) : IAuthorizationCodeRepository
{
    public Task<AuthorizationCode?> FindByHashAsync(string codeHash, CancellationToken cancellationToken) =>
        db.AuthorizationCodes.FirstOrDefaultAsync(c => c.CodeHash == codeHash, cancellationToken);

    public void Add(AuthorizationCode code) => db.AuthorizationCodes.Add(code);
}

public sealed class UserGrantRepository(AuthDbContext db) : IUserGrantRepository
{
    public Task<UserGrant?> FindAsync(Guid userId, string clientId, CancellationToken cancellationToken) =>
        db.UserGrants.FirstOrDefaultAsync(g => g.UserId == userId && g.ClientId == clientId, cancellationToken);

    public async Task<IReadOnlyList<UserGrant>> ListActiveOfUserAsync(Guid userId, CancellationToken cancellationToken) =>
        await db.UserGrants.AsNoTracking().Where(g => g.UserId == userId && g.RevokedAt == null)
            .OrderByDescending(g => g.UpdatedAt).ToListAsync(cancellationToken);

    public Task<int> CountActiveOfClientAsync(string clientId, CancellationToken cancellationToken) =>
        db.UserGrants.CountAsync(g => g.ClientId == clientId && g.RevokedAt == null, cancellationToken);

    public void Add(UserGrant grant) => db.UserGrants.Add(grant);
}

public sealed class DeviceAuthorizationRepository(AuthDbContext db) : IDeviceAuthorizationRepository
{
    public Task<DeviceAuthorization?> FindByDeviceCodeHashAsync(string deviceCodeHash, CancellationToken cancellationToken) =>
        db.DeviceAuthorizations.FirstOrDefaultAsync(d => d.DeviceCodeHash == deviceCodeHash, cancellationToken);

    public Task<DeviceAuthorization?> FindByUserCodeHashAsync(string userCodeHash, CancellationToken cancellationToken) =>
        db.DeviceAuthorizations.FirstOrDefaultAsync(d => d.UserCodeHash == userCodeHash, cancellationToken);

    public Task<bool> UserCodeTakenAsync(string userCodeHash, CancellationToken cancellationToken) =>
        db.DeviceAuthorizations.AnyAsync(d => d.UserCodeHash == userCodeHash, cancellationToken);

    public void Add(DeviceAuthorization authorization) => db.DeviceAuthorizations.Add(authorization);
}
