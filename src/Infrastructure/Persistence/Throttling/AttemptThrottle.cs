// Longer than 150 lines because the claim, the failure, the release, the prune and the row they share are one rule over one table (ADR 0009, 0012).
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Users;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Infrastructure.Persistence.Throttling;

/// <summary>
/// The attempt budgets (ADR 0012) as single conditional statements: SQL evaluates every SET
/// against the row as it was and the row lock queues parallel statements, so a claim, a failure
/// or a release is never lost and a budget is never exceeded (ADR 0009).
/// Outside a command's transaction each call is a write of its own and waits at the
/// <see cref="DatabaseWriteGate"/> (SQLite, ADR 0015).
/// </summary>
public sealed class AttemptThrottle(AuthDbContext db, DatabaseWriteGate? gate = null) : IAttemptThrottle
{
    private readonly DatabaseWriteGate _gate = gate ?? DatabaseWriteGate.None;

    public Task<bool> TryClaimAsync(string account, string scope, int limit, LockoutPolicy policy, DateTimeOffset now, CancellationToken cancellationToken) =>
        _gate.WriteAsync(db, ct => TryClaimUngatedAsync(account, scope, limit, policy, now, ct), cancellationToken);

    private async Task<bool> TryClaimUngatedAsync(string account, string scope, int limit, LockoutPolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await EnsureRowAsync(account, scope, now, cancellationToken);
        if (await ClaimAsync(account, scope, limit, policy, now, cancellationToken))
        {
            return true;
        }

        // Refused, or the pruner deleted the (stale) row between the insert and the claim: then the
        // insert creates it afresh, with a window that has just begun, which no prune deletes.
        if (await Counter(account, scope).AnyAsync(cancellationToken))
        {
            return false;
        }

        await EnsureRowAsync(account, scope, now, cancellationToken);
        return await ClaimAsync(account, scope, limit, policy, now, cancellationToken);
    }

    private async Task<bool> ClaimAsync(string account, string scope, int limit, LockoutPolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
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

    public Task<DateTimeOffset?> FailAsync(
        string account, string scope, bool claimed, int limit, LockoutPolicy policy, DateTimeOffset now, CancellationToken cancellationToken) =>
        _gate.WriteAsync(db, ct => FailUngatedAsync(account, scope, claimed, limit, policy, now, ct), cancellationToken);

    private async Task<DateTimeOffset?> FailUngatedAsync(
        string account, string scope, bool claimed, int limit, LockoutPolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await EnsureRowAsync(account, scope, now, cancellationToken);
        var windowStartedBefore = now - policy.Window;
        var lockedUntil = now + policy.LockoutDuration;
        var endsAttempt = claimed ? 1 : 0;

        // The count and the lock are two statements joined in one transaction (the command's or a
        // short one of their own): the row lock the first takes is held until the second ran.
        await using var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        if (await CountFailureAsync(account, scope, endsAttempt, windowStartedBefore, now, cancellationToken) == 0)
        {
            // The pruner deleted the (stale) row after the insert: create it afresh and count there.
            await EnsureRowAsync(account, scope, now, cancellationToken);
            await CountFailureAsync(account, scope, endsAttempt, windowStartedBefore, now, cancellationToken);
        }

        var locked = await Counter(account, scope)
            .Where(c => (c.LockedUntil == null || c.LockedUntil <= now) && c.Failures >= limit)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LockedUntil, lockedUntil), cancellationToken) == 1;
        if (own is not null)
        {
            await own.CommitAsync(cancellationToken);
        }

        return locked ? lockedUntil : null;
    }

    private Task<int> CountFailureAsync(
        string account, string scope, int endsAttempt, DateTimeOffset windowStartedBefore, DateTimeOffset now, CancellationToken cancellationToken) =>
        Counter(account, scope).ExecuteUpdateAsync(
            s => s
                .SetProperty(
                    c => c.Failures,
                    c => c.LockedUntil == null && (c.WindowStartedAt == null || c.WindowStartedAt <= windowStartedBefore) ? 1 : c.Failures + 1)
                .SetProperty(
                    c => c.WindowStartedAt,
                    c => c.LockedUntil == null && (c.WindowStartedAt == null || c.WindowStartedAt <= windowStartedBefore) ? now : c.WindowStartedAt)
                .SetProperty(c => c.InFlight, c => c.InFlight >= endsAttempt ? c.InFlight - endsAttempt : 0),
            cancellationToken);

    public Task ReleaseAsync(string account, string scope, CancellationToken cancellationToken) =>
        _gate.WriteAsync(
            db, ct => Counter(account, scope).ExecuteUpdateAsync(s => s.SetProperty(c => c.InFlight, c => c.InFlight > 0 ? c.InFlight - 1 : 0), ct), cancellationToken);

    public Task ClearAsync(string account, CancellationToken cancellationToken) =>
        _gate.WriteAsync(db, ct => db.Set<AttemptCounter>().Where(c => c.Account == account).ExecuteDeleteAsync(ct), cancellationToken);

    /// <summary>
    /// Deletes the budgets that no longer hold anything (ADR 0012, pruning): no lock in force, and
    /// a window that has passed (or never began). Their attempts in flight are those the next
    /// claim would forget too (a crashed request's), so a deleted row answers exactly like the row
    /// would have. A batch at a time, each statement re-checking the rule on the row it deletes, so
    /// a row that a claim or a failure revived meanwhile is kept. Returns how many were deleted.
    /// </summary>
    public async Task<int> PruneAsync(LockoutPolicy policy, DateTimeOffset now, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var windowStartedBefore = now - policy.Window;
        var stale = db.Set<AttemptCounter>()
            .Where(c => (c.LockedUntil == null || c.LockedUntil <= now) && (c.WindowStartedAt == null || c.WindowStartedAt <= windowStartedBefore));
        var batch = stale.OrderBy(c => c.Account).ThenBy(c => c.Scope).Take(batchSize);
        var pruned = 0;
        int deleted;
        do
        {
            deleted = await _gate.WriteAsync(
                db, ct => stale.Where(c => batch.Any(b => b.Account == c.Account && b.Scope == c.Scope)).ExecuteDeleteAsync(ct), cancellationToken);
            pruned += deleted;
        }
        while (deleted == batchSize);

        return pruned;
    }

    private IQueryable<AttemptCounter> Counter(string account, string scope) =>
        db.Set<AttemptCounter>().Where(c => c.Account == account && c.Scope == scope);

    /// <summary>
    /// The budget's row, created empty with its window starting now if it is not there yet (a
    /// no-op when it is, even under races). An empty row whose window began now answers every
    /// statement like a row with no window, and no prune deletes it before the window passes.
    /// </summary>
    private Task<int> EnsureRowAsync(string account, string scope, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The value as the provider stores it (on SQLite a sortable number, AuthDbContext).
        var windowStartedAt = db.Model.FindEntityType(typeof(AttemptCounter))!.FindProperty(nameof(AttemptCounter.WindowStartedAt))!
            .GetTypeMapping().Converter is { } converter ? converter.ConvertToProvider(now)! : now;
        if (db.Database.IsNpgsql())
        {
            return db.Database.ExecuteSqlAsync(
                $"INSERT INTO attempt_counters (account, scope, failures, in_flight, window_started_at) VALUES ({account}, {scope}, 0, 0, {windowStartedAt}) ON CONFLICT DO NOTHING",
                cancellationToken);
        }

        if (db.Database.IsSqlServer())
        {
            return db.Database.ExecuteSqlAsync(
                $"INSERT INTO attempt_counters (account, scope, failures, in_flight, window_started_at) SELECT {account}, {scope}, 0, 0, {windowStartedAt} WHERE NOT EXISTS (SELECT 1 FROM attempt_counters WITH (UPDLOCK, HOLDLOCK) WHERE account = {account} AND scope = {scope})",
                cancellationToken);
        }

        return db.Database.ExecuteSqlAsync(
            $"INSERT OR IGNORE INTO attempt_counters (account, scope, failures, in_flight, window_started_at) VALUES ({account}, {scope}, 0, 0, {windowStartedAt})",
            cancellationToken);
    }
}
