using AuthPlatform.Application.Common.Options;
using AuthPlatform.Domain.OAuth;
using AuthPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Infrastructure.OAuth;

/// <summary>
/// Deletes, every <see cref="OAuthOptions.PruneInterval"/>, the authorization codes and device
/// authorizations that expired more than <see cref="OAuthOptions.ExpiredGrantRetention"/> ago, so
/// that <c>authorization_codes</c> and <c>device_authorizations</c> do not grow without bound. The
/// retention keeps a redeemed code long enough for a late second use to be recognised as reuse
/// (and to revoke what the first use issued); a code deleted before that is merely unknown. Each
/// run has a scope of its own; each statement deletes at most <see cref="PeriodicPruner.BatchSize"/>
/// rows and, on SQLite, waits at the <see cref="DatabaseWriteGate"/>.
/// </summary>
public sealed class ExpiredGrantPruner(
    IServiceScopeFactory scopes,
    IOptions<OAuthOptions> options,
    TimeProvider clock,
    ILogger<ExpiredGrantPruner> logger)
    : PeriodicPruner(options.Value.PruneInterval, clock, logger, "authorization_codes and device_authorizations", "OAuth:PruneInterval")
{
    public override async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        var gate = scope.ServiceProvider.GetRequiredService<DatabaseWriteGate>();
        return await PruneAsync(db, gate, Clock.GetUtcNow() - options.Value.ExpiredGrantRetention, BatchSize, cancellationToken);
    }

    /// <summary>Deletes the codes and device authorizations that expired at or before <paramref name="expiredBy"/>, <paramref name="batchSize"/> rows per statement.</summary>
    public static async Task<int> PruneAsync(AuthDbContext db, DatabaseWriteGate gate, DateTimeOffset expiredBy, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var codes = await DeleteInBatchesAsync(db, gate, db.AuthorizationCodes.Where(c => c.ExpiresAt <= expiredBy), c => c.Id, batchSize, cancellationToken);
        var devices = await DeleteInBatchesAsync(db, gate, db.DeviceAuthorizations.Where(d => d.ExpiresAt <= expiredBy), d => d.Id, batchSize, cancellationToken);
        return codes + devices;
    }

    private static async Task<int> DeleteInBatchesAsync<T>(
        AuthDbContext db, DatabaseWriteGate gate, IQueryable<T> expired, System.Linq.Expressions.Expression<Func<T, Guid>> id, int batchSize, CancellationToken cancellationToken)
        where T : class
    {
        var batch = expired.OrderBy(id).Take(batchSize).Select(id);
        var pruned = 0;
        int deleted;
        do
        {
            deleted = await gate.WriteAsync(db, ct => expired.Where(Contains(batch, id)).ExecuteDeleteAsync(ct), cancellationToken);
            pruned += deleted;
        }
        while (deleted == batchSize);

        return pruned;
    }

    /// <summary><c>row =&gt; batch.Contains(id(row))</c>, built as an expression so the provider translates it to <c>IN (SELECT ...)</c>.</summary>
    private static System.Linq.Expressions.Expression<Func<T, bool>> Contains<T>(IQueryable<Guid> batch, System.Linq.Expressions.Expression<Func<T, Guid>> id)
    {
        var contains = System.Linq.Expressions.Expression.Call(
            typeof(Queryable), nameof(Queryable.Contains), [typeof(Guid)], batch.Expression, id.Body);
        return System.Linq.Expressions.Expression.Lambda<Func<T, bool>>(contains, id.Parameters);
    }
}
