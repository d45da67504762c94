using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Users;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Infrastructure.Persistence.Repositories;

/// <summary>The <see cref="User"/> repository; the lockout rule is its one conditional update (ADR 0009).</summary>
public sealed class UserRepository(AuthDbContext db) : IUserRepository
{
    public Task<User?> FindByIdAsync(Guid id, CancellationToken cancellationToken) =>
        db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken);

    public Task<User?> FindByEmailAsync(string email, CancellationToken cancellationToken)
    {
        var normalized = EmailAddress.NormalizeForLookup(email);
        return db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == normalized, cancellationToken);
    }

    public Task<User?> FindByIdWithRecoveryCodesAsync(Guid id, CancellationToken cancellationToken) =>
        db.Users.Include(u => u.RecoveryCodes).FirstOrDefaultAsync(u => u.Id == id, cancellationToken);

    public Task<bool> EmailExistsAsync(string email, CancellationToken cancellationToken)
    {
        var normalized = EmailAddress.NormalizeForLookup(email);
        return db.Users.AnyAsync(u => u.NormalizedEmail == normalized, cancellationToken);
    }

    public async Task<bool> RecordFailedLoginAsync(User user, LockoutPolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // SQL evaluates every SET against the row as it was, and the row lock makes parallel
        // failures queue: each one counts. The count and the lock are two statements, joined in
        // one transaction (the command's, or a short one of their own): the row lock the first
        // takes is held until the second has run, so no failure slips between them.
        await using var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
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
        if (own is not null)
        {
            await own.CommitAsync(cancellationToken);
        }

        await db.Entry(user).ReloadAsync(cancellationToken);
        return locked;
    }

    public void Add(User user) => db.Users.Add(user);
}
