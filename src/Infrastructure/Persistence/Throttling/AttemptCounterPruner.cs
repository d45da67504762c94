using AuthPlatform.Application.Common.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Infrastructure.Persistence.Throttling;

/// <summary>
/// Deletes the attempt budgets that no longer hold anything (<see cref="AttemptThrottle.PruneAsync"/>)
/// every <see cref="LockoutOptions.PruneInterval"/>, so that addresses and e-mails made up by a
/// sprayer do not grow <c>attempt_counters</c> without bound (ADR 0012). Each run has a scope (and
/// a database connection) of its own; the loop is <see cref="PeriodicPruner"/>'s.
/// </summary>
public sealed class AttemptCounterPruner(
    IServiceScopeFactory scopes,
    IOptions<LockoutOptions> options,
    TimeProvider clock,
    ILogger<AttemptCounterPruner> logger)
    : PeriodicPruner(options.Value.PruneInterval, clock, logger, "attempt_counters", "Lockout:PruneInterval")
{
    public override async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var throttle = scope.ServiceProvider.GetRequiredService<AttemptThrottle>();
        return await throttle.PruneAsync(options.Value.ToPolicy(), Clock.GetUtcNow(), BatchSize, cancellationToken);
    }
}
