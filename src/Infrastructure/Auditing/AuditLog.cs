using AuthPlatform.Application.Common.Ports;
using AuthPlatform.Domain.Audit;
using AuthPlatform.Infrastructure.Persistence;
using Microsoft.Extensions.Logging;

namespace AuthPlatform.Infrastructure.Auditing;

/// <summary>
/// Adds audit events to the command's unit of work (so they commit or roll back with it) and
/// writes them to the log after the commit. Nothing secret is ever passed here.
/// </summary>
public sealed partial class AuditLog(AuthDbContext db, IClientContext client, IAfterCommit afterCommit, TimeProvider clock, ILogger<AuditLog> logger) : IAuditLog
{
    public void Record(string type, Guid? userId, string? details = null, Guid? actorId = null, string? clientId = null)
    {
        var now = clock.GetUtcNow();
        var entry = AuditEvent.Record(
            Guid.CreateVersion7(now), type, now, userId, actorId ?? userId, client.IpAddress, client.UserAgent, clientId, details);
        db.AuditEvents.Add(entry);
        var ip = client.IpAddress;

        // Logged once the event is committed: a rolled-back command leaves no audit line behind.
        afterCommit.Enqueue(_ =>
        {
            LogAudit(logger, type, userId, actorId ?? userId, ip, clientId, details);
            return Task.CompletedTask;
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit {Type} user={UserId} actor={ActorId} ip={IpAddress} client={ClientId} {Details}")]
    private static partial void LogAudit(ILogger logger, string type, Guid? userId, Guid? actorId, string? ipAddress, string? clientId, string? details);
}
