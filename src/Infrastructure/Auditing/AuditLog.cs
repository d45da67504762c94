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
public sealed partial class AuditLog(AuthDbContext db, IClientContext client, IAfterCommit afterCommit, TimeProvider clock, ILogger<AuditLog> logger) : IAuditLog
{
    public void Record(AuditRecord record)
    {
        var now = clock.GetUtcNow();
        var details = record.Details is { Count: > 0 } fields ? JsonSerializer.Serialize(fields) : null;
        var actorId = record.ActorId ?? record.UserId;
        var entry = AuditEvent.Record(
            Guid.CreateVersion7(now), record.Type, now, record.UserId, actorId, client.IpAddress, client.UserAgent, record.ClientId, details);
        db.AuditEvents.Add(entry);
        var ip = client.IpAddress;

        // Logged once the event is committed: a rolled-back command leaves no audit line behind.
        afterCommit.Enqueue(_ =>
        {
            LogAudit(logger, record.Type, record.UserId, actorId, ip, record.ClientId, details);
            return Task.CompletedTask;
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit {Type} user={UserId} actor={ActorId} ip={IpAddress} client={ClientId} {Details}")]
    private static partial void LogAudit(ILogger logger, string type, Guid? userId, Guid? actorId, string? ipAddress, string? clientId, string? details);
}
