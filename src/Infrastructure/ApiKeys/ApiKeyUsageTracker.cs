using System.Collections.Concurrent;
using AuthPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Infrastructure.ApiKeys;

/// <summary>
/// Keeps <c>last_used_at</c> without a write per request: uses are noted in memory, at most one
/// per key per <see cref="ApiKeyOptions.LastUsedWriteInterval"/>, and written in the background
/// (and once more at shutdown). One flush runs at a time, so no caller returns while the uses it
/// found missing from the queue are still being written by another flush.
/// </summary>
public sealed partial class ApiKeyUsageTracker(
    IServiceScopeFactory scopes,
    IOptions<ApiKeyOptions> options,
    TimeProvider clock,
    ILogger<ApiKeyUsageTracker> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _lastNoted = new();
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _pending = new();

    // Not disposed: it never allocates a wait handle, and a stop still waiting on it must not see it disposed.
    private readonly SemaphoreSlim _flushing = new(1, 1);

    public void Touch(Guid keyId, DateTimeOffset now)
    {
        if (_lastNoted.TryGetValue(keyId, out var noted) && now - noted < options.Value.LastUsedWriteInterval)
        {
            return;
        }

        _lastNoted[keyId] = now;
        _pending[keyId] = now;
    }

    /// <summary>
    /// Writes what is pending, after any flush already running has finished; returns how many keys
    /// were written. Without the wait, a second caller (the host stops its services from two places
    /// at once under <c>WebApplicationFactory</c>, and a periodic flush can outlive a stop cut short)
    /// found the queue empty while the first was still writing, and returned "all written" too early.
    /// </summary>
    public async Task<int> FlushAsync(CancellationToken cancellationToken)
    {
        await _flushing.WaitAsync(cancellationToken);
        try
        {
            return await FlushPendingAsync(cancellationToken);
        }
        finally
        {
            _flushing.Release();
        }
    }

    private async Task<int> FlushPendingAsync(CancellationToken cancellationToken)
    {
        if (_pending.IsEmpty)
        {
            return 0;
        }

        var batch = new List<(Guid Id, DateTimeOffset At)>();
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var at))
            {
                batch.Add((id, at));
            }
        }

        var written = 0;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
            var gate = scope.ServiceProvider.GetService<DatabaseWriteGate>() ?? DatabaseWriteGate.None;
            foreach (var (id, at) in batch)
            {
                await gate.WriteAsync(
                    db,
                    ct => db.ApiKeys
                        .Where(k => k.Id == id && (k.LastUsedAt == null || k.LastUsedAt < at))
                        .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, at), ct),
                    cancellationToken);
                written++;
            }
        }
        finally
        {
            // A flush cut short (a failure, or shutdown cancelling the periodic one) puts back
            // what it did not write, so the next flush (the one at shutdown) still writes it.
            foreach (var (id, at) in batch.Skip(written))
            {
                _pending.AddOrUpdate(id, at, (_, newer) => newer > at ? newer : at);
            }
        }

        return batch.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(Math.Clamp(options.Value.LastUsedWriteInterval.TotalSeconds / 2, 1, 30));
        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushSafelyAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);

        // The last flush is not cut short by the host's shutdown token: each statement is bounded
        // by the database command timeout instead, so pending uses are not lost on a slow stop.
        await FlushSafelyAsync(CancellationToken.None);
    }

    private async Task FlushSafelyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await FlushAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFlushFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing API keys' last_used_at failed; it will be retried with the next use")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception);
}
