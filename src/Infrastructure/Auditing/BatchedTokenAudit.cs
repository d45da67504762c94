using System.Collections.Concurrent;
using System.Text.Json;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Domain.Audit;
using AuthPlatform.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AuthPlatform.Infrastructure.Auditing;

/// <summary>
/// The audit rows of successful grants (<c>oauth.token_issued</c>) and of refreshes
/// (<c>token.refreshed</c>, through <see cref="AuditLog.RecordIssuance"/>), written without a
/// database write per grant: noted in memory and inserted in batches by a background timer
/// (<see cref="FlushInterval"/>) and once more at shutdown, like <c>ApiKeyUsageTracker</c>. At
/// most <see cref="MaxPending"/> rows wait; past that, rows are dropped and counted in the log
/// (a flood of grants must not exhaust memory). A process killed without a graceful stop loses
/// the rows noted since the last flush.
/// </summary>
public sealed partial class BatchedTokenAudit(IServiceScopeFactory scopes, TimeProvider clock, ILogger<BatchedTokenAudit> logger)
    : BackgroundService, IIssuedTokenAudit
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);
    public const int MaxPending = 100_000;
    private const int BatchSize = 1_000;

    private readonly ConcurrentQueue<AuditEvent> _pending = new();
    private int _count;
    private long _dropped;

    public void Record(IssuedTokenRecord record) => Enqueue(ToAuditEvent(record));

    /// <summary>Notes a row for the next batch (dropped, and counted in the log, past <see cref="MaxPending"/>).</summary>
    public void Enqueue(AuditEvent record)
    {
        if (Interlocked.Increment(ref _count) > MaxPending)
        {
            Interlocked.Decrement(ref _count);
            Interlocked.Increment(ref _dropped);
            return;
        }

        _pending.Enqueue(record);
    }

    /// <summary>Writes what is pending, in batches of one transaction each; returns how many rows were written.</summary>
    public async Task<int> FlushAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _dropped, 0) is > 0 and var dropped)
        {
            LogDropped(logger, dropped);
        }

        var written = 0;
        while (!_pending.IsEmpty)
        {
            var batch = new List<AuditEvent>(BatchSize);
            while (batch.Count < BatchSize && _pending.TryDequeue(out var record))
            {
                batch.Add(record);
            }

            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
                db.AuditEvents.AddRange(batch);
                var gate = scope.ServiceProvider.GetService<DatabaseWriteGate>() ?? DatabaseWriteGate.None;
                await gate.WriteAsync(db, db.SaveChangesAsync, cancellationToken);
            }
            catch
            {
                // Put the batch back for the next flush (the one at shutdown at the latest).
                foreach (var record in batch)
                {
                    _pending.Enqueue(record);
                }

                throw;
            }

            Interlocked.Add(ref _count, -batch.Count);
            written += batch.Count;
        }

        if (written > 0)
        {
            LogWritten(logger, written);
        }

        return written;
    }

    private static AuditEvent ToAuditEvent(IssuedTokenRecord record)
    {
        var details = JsonSerializer.Serialize(new Dictionary<string, string> { ["grant_type"] = record.GrantType, ["scope"] = record.Scope });
        if (details.Length > AuditEvent.MaxDetailsLength)
        {
            details = JsonSerializer.Serialize(new Dictionary<string, string> { ["grant_type"] = record.GrantType });
        }

        return AuditEvent.Record(
            Guid.CreateVersion7(record.IssuedAt), AuditEventTypes.OAuthTokenIssued, record.IssuedAt, record.UserId, record.UserId,
            record.IpAddress, record.UserAgent, record.ClientId, details);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushInterval, clock);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit oauth.token_issued: {Count} rows written")]
    private static partial void LogWritten(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit oauth.token_issued: {Count} rows dropped, the queue was full")]
    private static partial void LogDropped(ILogger logger, long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing the audit rows of issued tokens failed; they will be retried")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception);
}
