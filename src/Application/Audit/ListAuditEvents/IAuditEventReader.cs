namespace AuthPlatform.Application.Audit.ListAuditEvents;

public sealed record AuditEventFilter(Guid? UserId, string? Type, DateTimeOffset? From, DateTimeOffset? To, int Limit);

/// <summary>Reads audit events without tracking (a query port, not a repository).</summary>
public interface IAuditEventReader
{
    Task<IReadOnlyList<AuditEventResponse>> ListAsync(AuditEventFilter filter, CancellationToken cancellationToken);
}
