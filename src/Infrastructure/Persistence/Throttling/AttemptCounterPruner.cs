using AuthPlatform.Application.Common.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Infrastructure.Persistence.Throttling;

/// <summary>
/// Deletes the attempt budgets that no longer hold anything (<see cref="AttemptThrottle.PruneAsync"/>)
/// every <see cref="LockoutOptions.PruneInterval"/>, so that addresses and e-mails made up by a
/// sprayer do not grow <c>attempt_counters</c> without bound (ADR 0012). Each run has a scope (and
/// a database connection) of its own; a failed run is logged and the next one tries again; at
/// shutdown a run in progress is cancelled.
/// </summary>
public sealed partial class AttemptCounterPruner(
    IServiceScopeFactory scopes,
    IOptions<LockoutOptions> options,
    TimeProvider clock,
    ILogger<AttemptCounterPruner> logger) : BackgroundService
{
    /// <summary>Rows deleted per statement: a short write lock each (SQLite has one for the whole database).</summary>
    public const int BatchSize = 1000;

    private PeriodicTimer? _timer;

    /// <summary>One run: deletes what is stale now; returns how many rows went.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var throttle = scope.ServiceProvider.GetRequiredService<AttemptThrottle>();
        return await throttle.PruneAsync(options.Value.ToPolicy(), clock.GetUtcNow(), BatchSize, cancellationToken);
    }

    /// <summary>The interval counts from the start: the timer exists before the loop (which the host may start later) does.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var interval = options.Value.PruneInterval;
        if (interval > TimeSpan.Zero)
        {
            _timer = new PeriodicTimer(interval, clock);
        }
        else
        {
            LogDisabled(logger);
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_timer is not { } timer)
        {
            return;
        }

        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await PruneSafelyAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }

    public override void Dispose()
    {
        _timer?.Dispose();
        base.Dispose();
    }

    private async Task PruneSafelyAsync(CancellationToken stoppingToken)
    {
        try
        {
            var pruned = await PruneAsync(stoppingToken);
            LogPruned(logger, pruned);
        }
        catch (Exception e)
        {
            // A database that is down, slow or locked: the rows wait for the next run. At shutdown
            // the run was cut short (a cancelled command, or one the provider interrupted): no failure.
            if (!stoppingToken.IsCancellationRequested)
            {
                LogPruneFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Pruned {Count} attempt budgets that no longer held anything")]
    private static partial void LogPruned(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning attempt_counters failed; the next run tries again")]
    private static partial void LogPruneFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Lockout:PruneInterval is not positive: attempt_counters is never pruned")]
    private static partial void LogDisabled(ILogger logger);
}
