using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Domain.Sessions;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Infrastructure.Persistence.Repositories;

/// <summary>
/// The <see cref="RefreshTokenFamily"/> repository. Revocation is one conditional update (ADR
/// 0009): the first revocation wins, bumps the version so that a refresh in flight fails its
/// compare-and-swap, and nothing a racing refresh saves can undo it.
/// </summary>
public sealed class RefreshTokenFamilyRepository(AuthDbContext db) : IRefreshTokenFamilyRepository
{
    /// <summary>
    /// One query on the hot path of every refresh: the family whose id the token row names (an
    /// uncorrelated subquery, evaluated once and then a primary-key lookup), with only that token.
    /// </summary>
    public Task<RefreshTokenFamily?> FindByTokenHashAsync(string tokenHash, CancellationToken cancellationToken) =>
        db.RefreshTokenFamilies
            .Include(f => f.Tokens.Where(t => t.TokenHash == tokenHash))
            .Where(f => f.Id == db.RefreshTokens.Where(t => t.TokenHash == tokenHash).Select(t => t.FamilyId).FirstOrDefault())
            .FirstOrDefaultAsync(cancellationToken);

    public Task<RefreshTokenFamily?> FindByIdAsync(Guid id, CancellationToken cancellationToken) =>
        db.RefreshTokenFamilies.FirstOrDefaultAsync(f => f.Id == id, cancellationToken);

    public async Task<IReadOnlyList<RefreshTokenFamily>> ListActiveForUserAsync(Guid userId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.RefreshTokenFamilies
            .Where(f => f.UserId == userId && f.RevokedAt == null && f.AbsoluteExpiresAt > now && f.CurrentTokenExpiresAt > now)
            .ToListAsync(cancellationToken);

    public async Task<bool> RevokeAsync(Guid familyId, string reason, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.RefreshTokenFamilies
            .Where(f => f.Id == familyId && f.RevokedAt == null)
            .ExecuteUpdateAsync(
                s => s.SetProperty(f => f.RevokedAt, now).SetProperty(f => f.RevocationReason, reason).SetProperty(f => f.Version, f => f.Version + 1),
                cancellationToken) == 1;

    public Task<int> RevokeAllForUserAsync(Guid userId, Guid? exceptFamilyId, string reason, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.RefreshTokenFamilies
            .Where(f => f.UserId == userId && f.RevokedAt == null && f.Id != exceptFamilyId)
            .ExecuteUpdateAsync(
                s => s.SetProperty(f => f.RevokedAt, now).SetProperty(f => f.RevocationReason, reason).SetProperty(f => f.Version, f => f.Version + 1),
                cancellationToken);

    public Task<int> RevokeAllForClientAsync(string clientId, string reason, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.RefreshTokenFamilies
            .Where(f => f.ClientId == clientId && f.RevokedAt == null)
            .ExecuteUpdateAsync(
                s => s.SetProperty(f => f.RevokedAt, now).SetProperty(f => f.RevocationReason, reason).SetProperty(f => f.Version, f => f.Version + 1),
                cancellationToken);

    /// <summary>
    /// Only the user's own sign-ins count: an app's grant records the address of the app's server
    /// (which called the token endpoint), not one the person signed in from.
    /// </summary>
    public Task<bool> HasSignedInFromAsync(Guid userId, string? ipAddress, CancellationToken cancellationToken) =>
        db.RefreshTokenFamilies.AnyAsync(f => f.UserId == userId && f.ClientId == null && f.IpAddress == ipAddress && ipAddress != null, cancellationToken);

    public void Add(RefreshTokenFamily family) => db.RefreshTokenFamilies.Add(family);
}
