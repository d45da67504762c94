using System.Text.Json;
using AuthPlatform.Application.Audit;
using AuthPlatform.Application.Common.Persistence;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Domain.Audit;
using AuthPlatform.Infrastructure.Persistence;
using Microsoft.Extensions.Logging;

namespace AuthPlatform.Infrastructure.Auditing;

/// <summary>
/// Adds audit events to the command's unit of work (so they commit or roll back with it) and
/// writes them to the log after the commit. Details are stored as a JSON object. Nothing secret
/// is ever passed here.
/// </summary>
public sealed partial class AuditLog(
    AuthDbContext db, IClientContext client, IAfterCommit afterCommit, BatchedTokenAudit batches, TimeProvider clock, ILogger<AuditLog> logger) : IAuditLog
{
    public void Record(AuditRecord record)
    {
        var entry = Build(record);
        db.AuditEvents.Add(entry);

        // Logged once the event is committed: a rolled-back command leaves no audit line behind.
        afterCommit.Enqueue(_ =>
        {
            Log(entry);
            return Task.CompletedTask;
        });
    }

    public void RecordIssuance(AuditRecord record)
    {
        var entry = Build(record);
        afterCommit.Enqueue(_ =>
        {
            batches.Enqueue(entry);
            Log(entry);
            return Task.CompletedTask;
        });
    }

    private AuditEvent Build(AuditRecord record)
    {
        var now = clock.GetUtcNow();
        var details = record.Details is { Count: > 0 } fields ? JsonSerializer.Serialize(fields) : null;
        return AuditEvent.Record(
            Guid.CreateVersion7(now), record.Type, now, record.UserId, record.ActorId ?? record.UserId, client.IpAddress, client.UserAgent, record.ClientId, details);
    }

    private void Log(AuditEvent entry) =>
        LogAudit(logger, entry.Type, entry.UserId, entry.ActorId, entry.IpAddress, entry.ClientId, entry.Details);

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit {Type} user={UserId} actor={ActorId} ip={IpAddress} client={ClientId} {Details}")]
    private static partial void LogAudit(ILogger logger, string type, Guid? userId, Guid? actorId, string? ipAddress, string? clientId, string? details);
}
