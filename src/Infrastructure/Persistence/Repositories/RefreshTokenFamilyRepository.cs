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
    /// The hot path of every refresh: the token by its hash (a unique index), then its family by
    /// primary key; tracking puts the token in <see cref="RefreshTokenFamily.Tokens"/>, the only one
    /// loaded. Two simple statements: SQLite prepares every statement anew, and the single nested
    /// query they replace cost more to prepare than both together to run (docs/performance.md).
    /// </summary>
    public async Task<RefreshTokenFamily?> FindByTokenHashAsync(string tokenHash, CancellationToken cancellationToken)
    {
        var token = await db.RefreshTokens.FirstOrDefaultAsync(t => t.TokenHash == tokenHash, cancellationToken);
        return token is null ? null : await db.RefreshTokenFamilies.FirstOrDefaultAsync(f => f.Id == token.FamilyId, cancellationToken);
    }

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
