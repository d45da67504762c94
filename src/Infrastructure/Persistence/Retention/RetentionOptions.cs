namespace AuthPlatform.Infrastructure.Persistence.Retention;

/// <summary>
/// How long ended sessions, redeemed refresh tokens and audit rows are kept (configuration section
/// <c>Retention</c>, docs/operations.md "Pruning"). One node at a time deletes what is older.
/// </summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>How often the pruning runs (on whichever node takes the lease); zero: never.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long past its own expiry a redeemed (rotated) refresh token is kept. While it is kept, a
    /// replay of it is recognised as reuse and revokes its family; once pruned, a replay is an
    /// unknown token (refused, <c>invalid_grant</c>) and revokes nothing.
    /// </summary>
    public TimeSpan RedeemedRefreshTokens { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a session (a refresh-token family) is kept after it was revoked or expired, with its tokens.</summary>
    public TimeSpan EndedSessions { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long audit rows are kept; zero: forever.</summary>
    public TimeSpan AuditEvents { get; set; } = TimeSpan.FromDays(365);
}
