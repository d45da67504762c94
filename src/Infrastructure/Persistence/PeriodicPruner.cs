using AuthPlatform.Infrastructure.Persistence.Retention;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AuthPlatform.Infrastructure.Persistence;

/// <summary>
/// The loop of a table's pruner: a run every <c>interval</c> on the injected <see cref="TimeProvider"/>
/// (the first one interval after start-up; zero or less: never); a failed run is logged and the next
/// one tries again; at shutdown a run in progress is cancelled and is no failure. A run happens on
/// the one node (of several on one database) that takes the pruner's lease <c>leaseName</c>
/// (<see cref="PruneLease"/>, one interval long): whichever node ticks first after it expired runs
/// the next pass, the others skip theirs.
/// </summary>
public abstract partial class PeriodicPruner(
    IServiceScopeFactory scopes, string leaseName, TimeSpan interval, TimeProvider clock, ILogger logger, string what, string setting) : BackgroundService
{
    /// <summary>Rows deleted per statement: a short write lock each (SQLite has one for the whole database).</summary>
    public const int BatchSize = 1000;

    private PeriodicTimer? _timer;

    /// <summary>The clock the runs tick on, and that tells a run what "now" is.</summary>
    protected TimeProvider Clock => clock;

    /// <summary>This process's name on the lease: two pruners, even in one process, are two holders.</summary>
    public string Holder { get; } = Guid.NewGuid().ToString("N");

    /// <summary>One run: deletes what is stale now if this pruner takes the lease; returns how many rows went (0 when another holder has it).</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken) => await TryPruneAsync(BatchSize, cancellationToken) ?? 0;

    /// <summary>One pass if this pruner takes the lease: the rows deleted, <paramref name="batchSize"/> per statement; null when another holder has it.</summary>
    public async Task<int?> TryPruneAsync(int batchSize, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        var gate = scope.ServiceProvider.GetRequiredService<DatabaseWriteGate>();
        var now = clock.GetUtcNow();
        var lease = interval > TimeSpan.Zero ? interval : TimeSpan.FromMinutes(1);
        if (!await PruneLease.TryTakeAsync(db, gate, leaseName, Holder, now, lease, cancellationToken))
        {
            return null;
        }

        return await PrunePassAsync(scope.ServiceProvider, db, gate, now, batchSize, cancellationToken);
    }

    /// <summary>One pass, the lease taken: deletes, <paramref name="batchSize"/> rows per statement, what is stale at <paramref name="now"/>.</summary>
    protected abstract Task<int> PrunePassAsync(
        IServiceProvider services, AuthDbContext db, DatabaseWriteGate gate, DateTimeOffset now, int batchSize, CancellationToken cancellationToken);

    /// <summary>The interval counts from the start: the timer exists before the loop (which the host may start later) does.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (interval > TimeSpan.Zero)
        {
            _timer = new PeriodicTimer(interval, clock);
        }
        else
        {
            LogDisabled(logger, setting, what);
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

    /// <summary>Runs <paramref name="deleteBatch"/> (one statement deleting at most <paramref name="batchSize"/> rows) through the gate until a statement deletes less than a full batch.</summary>
    public static async Task<int> DeleteInBatchesAsync(
        AuthDbContext db, DatabaseWriteGate gate, Func<CancellationToken, Task<int>> deleteBatch, int batchSize, CancellationToken cancellationToken)
    {
        var pruned = 0;
        int deleted;
        do
        {
            deleted = await gate.WriteAsync(db, deleteBatch, cancellationToken);
            pruned += deleted;
        }
        while (deleted == batchSize);

        return pruned;
    }

    public override void Dispose()
    {
        _timer?.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task PruneSafelyAsync(CancellationToken stoppingToken)
    {
        try
        {
            var pruned = await PruneAsync(stoppingToken);
            LogPruned(logger, pruned, what);
        }
        catch (Exception e)
        {
            // A database that is down, slow or locked: the rows wait for the next run. At shutdown
            // the run was cut short (a cancelled command, or one the provider interrupted): no failure.
            if (!stoppingToken.IsCancellationRequested)
            {
                LogPruneFailed(logger, e, what);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Pruned {Count} rows of {What} that no longer held anything")]
    private static partial void LogPruned(ILogger logger, int count, string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning {What} failed; the next run tries again")]
    private static partial void LogPruneFailed(ILogger logger, Exception exception, string what);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Setting} is not positive: {What} is never pruned")]
    private static partial void LogDisabled(ILogger logger, string setting, string what);
}
