using AuthPlatform.Application.Common.Ports;
using AuthPlatform.Domain.Sessions;
using AuthPlatform.Domain.Users;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Infrastructure.Persistence.Repositories;

public sealed class UserRepository(AuthDbContext db) : IUserRepository
{
    public Task<User?> FindByIdAsync(Guid id, CancellationToken cancellationToken) =>
        db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken);

    public Task<User?> FindByEmailAsync(string email, CancellationToken cancellationToken)
    {
        var normalized = User.NormalizeEmail(email);
        return db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == normalized, cancellationToken);
    }

    public Task<User?> FindByIdWithRecoveryCodesAsync(Guid id, CancellationToken cancellationToken) =>
        db.Users.Include(u => u.RecoveryCodes).FirstOrDefaultAsync(u => u.Id == id, cancellationToken);

    public Task<bool> EmailExistsAsync(string email, CancellationToken cancellationToken)
    {
        var normalized = User.NormalizeEmail(email);
        return db.Users.AnyAsync(u => u.NormalizedEmail == normalized, cancellationToken);
    }

    public async Task<bool> RecordFailedLoginAsync(User user, LockoutPolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // SQL evaluates every SET against the row as it was, and the row lock makes parallel
        // failures queue: each one counts.
        var windowStartedBefore = now - policy.Window;
        await db.Users
            .Where(u => u.Id == user.Id)
            .ExecuteUpdateAsync(
                s => s
                    .SetProperty(
                        u => u.FailedLoginCount,
                        u => u.FailedLoginWindowStartedAt == null || u.FailedLoginWindowStartedAt <= windowStartedBefore ? 1 : u.FailedLoginCount + 1)
                    .SetProperty(
                        u => u.FailedLoginWindowStartedAt,
                        u => u.FailedLoginWindowStartedAt == null || u.FailedLoginWindowStartedAt <= windowStartedBefore ? now : u.FailedLoginWindowStartedAt),
                cancellationToken);
        var lockedUntil = now + policy.LockoutDuration;
        var locked = await db.Users
            .Where(u => u.Id == user.Id && u.FailedLoginCount >= policy.MaxFailedAttempts)
            .ExecuteUpdateAsync(
                s => s
                    .SetProperty(u => u.LockedUntil, lockedUntil)
                    .SetProperty(u => u.FailedLoginCount, 0)
                    .SetProperty(u => u.FailedLoginWindowStartedAt, (DateTimeOffset?)null),
                cancellationToken) == 1;
        await db.Entry(user).ReloadAsync(cancellationToken);
        return locked;
    }

    public void Add(User user) => db.Users.Add(user);
}

public sealed class RefreshTokenFamilyRepository(AuthDbContext db) : IRefreshTokenFamilyRepository
{
    public async Task<RefreshTokenFamily?> FindByTokenHashAsync(string tokenHash, CancellationToken cancellationToken)
    {
        var familyId = await db.RefreshTokens
            .Where(t => t.TokenHash == tokenHash)
            .Select(t => (Guid?)t.FamilyId)
            .FirstOrDefaultAsync(cancellationToken);
        if (familyId is null)
        {
            return null;
        }

        return await db.RefreshTokenFamilies
            .Include(f => f.Tokens.Where(t => t.TokenHash == tokenHash))
            .FirstOrDefaultAsync(f => f.Id == familyId, cancellationToken);
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

    public void Add(RefreshTokenFamily family) => db.RefreshTokenFamilies.Add(family);
}
