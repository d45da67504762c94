using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Infrastructure.Persistence.Retention;

/// <summary>
/// Every <see cref="RetentionOptions.PruneInterval"/>, on the one node that takes the lease
/// <see cref="LeaseName"/> (<see cref="PruneLease"/>), deletes what <see cref="RetentionOptions"/>
/// no longer keeps: redeemed refresh tokens, then sessions (families, with their tokens) that were
/// revoked or expired, then audit rows. Each statement deletes at most <see cref="PeriodicPruner.BatchSize"/>
/// rows, oldest first along an index, so a table of millions is pruned without a long lock.
/// The lease lasts one interval (<see cref="PeriodicPruner"/>).
/// </summary>
public sealed class RetentionPruner(
    IServiceScopeFactory scopes,
    IOptions<RetentionOptions> options,
    TimeProvider clock,
    ILogger<RetentionPruner> logger,
    string leaseName = RetentionPruner.LeaseName)
    : PeriodicPruner(scopes, leaseName, options.Value.PruneInterval, clock, logger, "refresh_tokens, refresh_token_families and audit_events", "Retention:PruneInterval")
{
    public const string LeaseName = "retention";

    protected override Task<int> PrunePassAsync(
        IServiceProvider services, AuthDbContext db, DatabaseWriteGate gate, DateTimeOffset now, int batchSize, CancellationToken cancellationToken) =>
        PruneAsync(db, gate, options.Value, now, batchSize, cancellationToken);

    /// <summary>Deletes, <paramref name="batchSize"/> rows per statement, what <paramref name="retention"/> no longer keeps at <paramref name="now"/>.</summary>
    public static async Task<int> PruneAsync(
        AuthDbContext db, DatabaseWriteGate gate, RetentionOptions retention, DateTimeOffset now, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);

        // A redeemed token is never the current one; kept until RedeemedRefreshTokens past its own expiry.
        var tokensBy = now - retention.RedeemedRefreshTokens;
        var tokens = db.RefreshTokens.Where(t => t.RedeemedAt != null && t.ExpiresAt <= tokensBy);
        var tokenBatch = tokens.OrderBy(t => t.ExpiresAt).Take(batchSize).Select(t => t.Id);
        var pruned = await DeleteInBatchesAsync(db, gate, ct => tokens.Where(t => tokenBatch.Contains(t.Id)).ExecuteDeleteAsync(ct), batchSize, cancellationToken);

        // A family has ended when revoked, or when its current token expired (never later than its absolute
        // expiry); its remaining tokens go with it (ON DELETE CASCADE).
        var endedBy = now - retention.EndedSessions;
        var revoked = db.RefreshTokenFamilies.Where(f => f.RevokedAt != null && f.RevokedAt <= endedBy);
        var revokedBatch = revoked.OrderBy(f => f.RevokedAt).Take(batchSize).Select(f => f.Id);
        pruned += await DeleteInBatchesAsync(db, gate, ct => revoked.Where(f => revokedBatch.Contains(f.Id)).ExecuteDeleteAsync(ct), batchSize, cancellationToken);
        var expired = db.RefreshTokenFamilies.Where(f => f.CurrentTokenExpiresAt <= endedBy);
        var expiredBatch = expired.OrderBy(f => f.CurrentTokenExpiresAt).Take(batchSize).Select(f => f.Id);
        pruned += await DeleteInBatchesAsync(db, gate, ct => expired.Where(f => expiredBatch.Contains(f.Id)).ExecuteDeleteAsync(ct), batchSize, cancellationToken);

        if (retention.AuditEvents > TimeSpan.Zero)
        {
            var auditBy = now - retention.AuditEvents;
            var audit = db.AuditEvents.Where(e => e.OccurredAt <= auditBy);
            var auditBatch = audit.OrderBy(e => e.OccurredAt).Take(batchSize).Select(e => e.Id);
            pruned += await DeleteInBatchesAsync(db, gate, ct => audit.Where(e => auditBatch.Contains(e.Id)).ExecuteDeleteAsync(ct), batchSize, cancellationToken);
        }

        return pruned;
    }
}
