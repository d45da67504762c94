using AuthPlatform.Application.Common.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Infrastructure.Persistence.Throttling;

/// <summary>
/// Deletes the attempt budgets that no longer hold anything (<see cref="AttemptThrottle.PruneAsync"/>)
/// every <see cref="LockoutOptions.PruneInterval"/>, so that addresses and e-mails made up by a
/// sprayer do not grow <c>attempt_counters</c> without bound (ADR 0012). Each run has a scope (and
/// a database connection) of its own; the loop, and the lease <see cref="LeaseName"/> that lets one
/// node of several run a pass, are <see cref="PeriodicPruner"/>'s.
/// </summary>
public sealed class AttemptCounterPruner(
    IServiceScopeFactory scopes,
    IOptions<LockoutOptions> options,
    TimeProvider clock,
    ILogger<AttemptCounterPruner> logger,
    string leaseName = AttemptCounterPruner.LeaseName)
    : PeriodicPruner(scopes, leaseName, options.Value.PruneInterval, clock, logger, "attempt_counters", "Lockout:PruneInterval")
{
    public const string LeaseName = "attempt-counters";

    protected override Task<int> PrunePassAsync(
        IServiceProvider services, AuthDbContext db, DatabaseWriteGate gate, DateTimeOffset now, int batchSize, CancellationToken cancellationToken) =>
        services.GetRequiredService<AttemptThrottle>().PruneAsync(options.Value.ToPolicy(), now, batchSize, cancellationToken);
}
