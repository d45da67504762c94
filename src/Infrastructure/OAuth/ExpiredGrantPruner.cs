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
/// rows and, on SQLite, waits at the <see cref="DatabaseWriteGate"/>. Of several nodes, the one
/// that takes the lease <see cref="LeaseName"/> runs a pass (<see cref="PeriodicPruner"/>).
/// </summary>
public sealed class ExpiredGrantPruner(
    IServiceScopeFactory scopes,
    IOptions<OAuthOptions> options,
    TimeProvider clock,
    ILogger<ExpiredGrantPruner> logger,
    string leaseName = ExpiredGrantPruner.LeaseName)
    : PeriodicPruner(scopes, leaseName, options.Value.PruneInterval, clock, logger, "authorization_codes and device_authorizations", "OAuth:PruneInterval")
{
    public const string LeaseName = "expired-grants";

    protected override Task<int> PrunePassAsync(
        IServiceProvider services, AuthDbContext db, DatabaseWriteGate gate, DateTimeOffset now, int batchSize, CancellationToken cancellationToken) =>
        PruneAsync(db, gate, now - options.Value.ExpiredGrantRetention, batchSize, cancellationToken);

    /// <summary>Deletes the codes and device authorizations that expired at or before <paramref name="expiredBy"/>, <paramref name="batchSize"/> rows per statement, oldest first.</summary>
    public static async Task<int> PruneAsync(AuthDbContext db, DatabaseWriteGate gate, DateTimeOffset expiredBy, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var codes = db.AuthorizationCodes.Where(c => c.ExpiresAt <= expiredBy);
        var codeBatch = codes.OrderBy(c => c.ExpiresAt).Take(batchSize).Select(c => c.Id);
        var devices = db.DeviceAuthorizations.Where(d => d.ExpiresAt <= expiredBy);
        var deviceBatch = devices.OrderBy(d => d.ExpiresAt).Take(batchSize).Select(d => d.Id);
        return await DeleteInBatchesAsync(db, gate, ct => codes.Where(c => codeBatch.Contains(c.Id)).ExecuteDeleteAsync(ct), batchSize, cancellationToken)
            + await DeleteInBatchesAsync(db, gate, ct => devices.Where(d => deviceBatch.Contains(d.Id)).ExecuteDeleteAsync(ct), batchSize, cancellationToken);
    }
}
