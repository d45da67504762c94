using AuthPlatform.Application.Common.Options;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Domain.Audit;
using AuthPlatform.Domain.Sessions;
using AuthPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Infrastructure.Tokens;

/// <summary>
/// The client ids whose own access tokens (client credentials) must be refused although unexpired:
/// deleted service accounts and OAuth clients, remembered in this instance's memory for as long as one of their
/// tokens can live (the access-token lifetime, the clock skew and a margin), like the security
/// stamps of ADR 0013. One lock-free lookup per request of a client's token; no database read.
/// Filled after each commit that deletes an account, and at start-up from
/// <c>service_accounts.deleted_at</c> and the <c>oauth_client.deleted</c> audit events. Per instance, until a shared channel (Redis) exists.
/// </summary>
public sealed class RevokedClientCache(IOptions<JwtOptions> options, TimeProvider clock) : IRevokedClients
{
    private readonly ExpiringKeys<string> _revoked = new(clock, StringComparer.Ordinal);

    public TimeSpan Horizon => options.Value.AccessTokenLifetime + options.Value.ClockSkew + SecurityStampCache.Margin;

    /// <summary>Every token of the client was issued before <paramref name="revokedAt"/>: refused until the last of them expires.</summary>
    public void Remember(string clientId, DateTimeOffset revokedAt) => _revoked.Hold(clientId, revokedAt + Horizon);

    /// <summary>
    /// True when a token of the client issued at <paramref name="issuedAt"/> (its <c>iat</c>; unknown: any time) must be
    /// refused: it was issued no later than the deletion. A client registered again under the same id (the built-in CLI
    /// client, ADR 0019, after being disabled and enabled) gets tokens issued after it, which pass.
    /// </summary>
    public bool IsRevoked(string clientId, DateTimeOffset? issuedAt) =>
        _revoked.HeldUntil(clientId) is { } until && (issuedAt is not { } iat || iat <= until - Horizon);

    /// <summary>At start-up: the service accounts deleted within <see cref="Horizon"/>.</summary>
    public async Task LoadRecentAsync(AuthDbContext db, CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow() - Horizon;
        var recent = await db.ServiceAccounts.AsNoTracking()
            .Where(a => a.DeletedAt != null && a.DeletedAt > since)
            .Select(a => new { a.ClientId, a.DeletedAt })
            .ToListAsync(cancellationToken);
        foreach (var account in recent)
        {
            Remember(account.ClientId, account.DeletedAt!.Value);
        }

        // OAuth clients are deleted for good; the audit trail keeps when.
        var deletedClients = await db.AuditEvents.AsNoTracking()
            .Where(e => e.Type == AuditEventTypes.OAuthClientDeleted && e.OccurredAt > since && e.ClientId != null)
            .Select(e => new { e.ClientId, e.OccurredAt })
            .ToListAsync(cancellationToken);
        foreach (var client in deletedClients)
        {
            Remember(client.ClientId!, client.OccurredAt);
        }
    }
}
