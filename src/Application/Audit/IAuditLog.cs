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

    /// <summary>
    /// The row of an issued token (a refresh): not a write of the command's transaction but, once
    /// the command committed, one of the rows written in batches like <c>oauth.token_issued</c>, so
    /// that issuance holds no database write lock for its audit row (issue 9; ADR 0017). A command
    /// that rolls back leaves no row.
    /// </summary>
    void RecordIssuance(AuditRecord record);
}
