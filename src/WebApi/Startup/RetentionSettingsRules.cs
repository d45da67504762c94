using AuthPlatform.Infrastructure.Persistence.Retention;

namespace AuthPlatform.WebApi.Startup;

/// <summary>Section <c>Retention</c>: how long ended sessions, redeemed refresh tokens and audit rows are kept (docs/operations.md, "Pruning").</summary>
public static class RetentionSettingsRules
{
    public static readonly TimeSpan Max = TimeSpan.FromDays(3650);

    public static void Check(SettingsReader reader)
    {
        const string section = RetentionOptions.SectionName;
        var retention = reader.Bind<RetentionOptions>(section);
        if (retention.PruneInterval != TimeSpan.Zero)
        {
            // 00:00:00 turns pruning off; anything else is a run at least a minute apart.
            reader.Duration($"{section}:PruneInterval", retention.PruneInterval, TimeSpan.FromMinutes(1), TimeSpan.FromDays(1));
        }

        reader.Duration($"{section}:RedeemedRefreshTokens", retention.RedeemedRefreshTokens, TimeSpan.Zero, Max);

        // At least a day: longer than any access token (Jwt:AccessTokenLifetime is at most a day), so a
        // revoked session is still found by the nodes' start-up and degraded-mode reads while its tokens live.
        reader.Duration($"{section}:EndedSessions", retention.EndedSessions, TimeSpan.FromDays(1), Max);
        if (retention.AuditEvents != TimeSpan.Zero)
        {
            // 00:00:00 keeps audit rows forever.
            reader.Duration($"{section}:AuditEvents", retention.AuditEvents, TimeSpan.FromDays(1), Max);
        }
    }
}
