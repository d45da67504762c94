namespace AuthPlatform.Application.Audit;

/// <summary>
/// One entry for the audit trail: the stable event type, whom it concerns, who acted (the same
/// unless an administrator acted) and non-secret details, written as a JSON object.
/// </summary>
public sealed record AuditRecord(
    string Type,
    Guid? UserId,
    IReadOnlyDictionary<string, object?>? Details = null,
    Guid? ActorId = null,
    string? ClientId = null);

/// <summary>Writes audit events in the command's own transaction, and to the log after it commits.</summary>
public interface IAuditLog
{
    void Record(AuditRecord record);
}
