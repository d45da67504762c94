using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Users;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Infrastructure.Persistence.Throttling;

/// <summary>
/// The attempt budgets (ADR 0012) as single conditional statements: SQL evaluates every SET
/// against the row as it was and the row lock queues parallel statements, so a claim, a failure
/// or a release is never lost and a budget is never exceeded (ADR 0009).
/// </summary>
public sealed class AttemptThrottle(AuthDbContext db) : IAttemptThrottle
{
    public async Task<bool> TryClaimAsync(string account, string scope, int limit, LockoutPolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await EnsureRowAsync(account, scope, cancellationToken);
        var windowStartedBefore = now - policy.Window;

        // "Fresh": no attempt yet, the window has passed with no lock, or the lock has ended.
        return await Counter(account, scope)
            .Where(c => (c.LockedUntil == null && (c.WindowStartedAt == null || c.WindowStartedAt <= windowStartedBefore))
                || (c.LockedUntil != null && c.LockedUntil <= now)
                || (c.LockedUntil == null && c.Failures + c.InFlight < limit))
            .ExecuteUpdateAsync(
                s => s
                    .SetProperty(
                        c => c.Failures,
                        c => (c.LockedUntil == null && (c.WindowStartedAt == null || c.WindowStartedAt <= windowStartedBefore)) || (c.LockedUntil != null && c.LockedUntil <= now)
                            ? 0
                            : c.Failures)
                    .SetProperty(
                        c => c.InFlight,
                        c => (c.LockedUntil == null && (c.WindowStartedAt == null || c.WindowStartedAt <= windowStartedBefore)) || (c.LockedUntil != null && c.LockedUntil <= now)
                            ? 1
                            : c.InFlight + 1)
                    .SetProperty(
                        c => c.WindowStartedAt,
                        c => (c.LockedUntil == null && (c.WindowStartedAt == null || c.WindowStartedAt <= windowStartedBefore)) || (c.LockedUntil != null && c.LockedUntil <= now)
                            ? now
                            : c.WindowStartedAt)
                    .SetProperty(c => c.LockedUntil, c => c.LockedUntil != null && c.LockedUntil <= now ? null : c.LockedUntil),
                cancellationToken) == 1;
    }

    public async Task<DateTimeOffset?> FailAsync(
        string account, string scope, bool claimed, int limit, LockoutPolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await EnsureRowAsync(account, scope, cancellationToken);
        var windowStartedBefore = now - policy.Window;
        var lockedUntil = now + policy.LockoutDuration;
        var endsAttempt = claimed ? 1 : 0;

        // The count and the lock are two statements joined in one transaction (the command's or a
        // short one of their own): the row lock the first takes is held until the second ran.
        await using var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        await Counter(account, scope).ExecuteUpdateAsync(
            s => s
                .SetProperty(
                    c => c.Failures,
                    c => c.LockedUntil == null && (c.WindowStartedAt == null || c.WindowStartedAt <= windowStartedBefore) ? 1 : c.Failures + 1)
                .SetProperty(
                    c => c.WindowStartedAt,
                    c => c.LockedUntil == null && (c.WindowStartedAt == null || c.WindowStartedAt <= windowStartedBefore) ? now : c.WindowStartedAt)
                .SetProperty(c => c.InFlight, c => c.InFlight >= endsAttempt ? c.InFlight - endsAttempt : 0),
            cancellationToken);
        var locked = await Counter(account, scope)
            .Where(c => (c.LockedUntil == null || c.LockedUntil <= now) && c.Failures >= limit)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LockedUntil, lockedUntil), cancellationToken) == 1;
        if (own is not null)
        {
            await own.CommitAsync(cancellationToken);
        }

        return locked ? lockedUntil : null;
    }

    public Task ReleaseAsync(string account, string scope, CancellationToken cancellationToken) =>
        Counter(account, scope).ExecuteUpdateAsync(s => s.SetProperty(c => c.InFlight, c => c.InFlight > 0 ? c.InFlight - 1 : 0), cancellationToken);

    public Task ClearAsync(string account, CancellationToken cancellationToken) =>
        db.Set<AttemptCounter>().Where(c => c.Account == account).ExecuteDeleteAsync(cancellationToken);

    private IQueryable<AttemptCounter> Counter(string account, string scope) =>
        db.Set<AttemptCounter>().Where(c => c.Account == account && c.Scope == scope);

    /// <summary>The budget's row, created empty if it is not there yet (a no-op when it is, even under races).</summary>
    private Task<int> EnsureRowAsync(string account, string scope, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            return db.Database.ExecuteSqlAsync(
                $"INSERT INTO attempt_counters (account, scope, failures, in_flight) VALUES ({account}, {scope}, 0, 0) ON CONFLICT DO NOTHING",
                cancellationToken);
        }

        if (db.Database.IsSqlServer())
        {
            return db.Database.ExecuteSqlAsync(
                $"INSERT INTO attempt_counters (account, scope, failures, in_flight) SELECT {account}, {scope}, 0, 0 WHERE NOT EXISTS (SELECT 1 FROM attempt_counters WITH (UPDLOCK, HOLDLOCK) WHERE account = {account} AND scope = {scope})",
                cancellationToken);
        }

        return db.Database.ExecuteSqlAsync(
            $"INSERT OR IGNORE INTO attempt_counters (account, scope, failures, in_flight) VALUES ({account}, {scope}, 0, 0)",
            cancellationToken);
    }
}
