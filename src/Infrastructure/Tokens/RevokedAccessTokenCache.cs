using AuthPlatform.Application.Common.Options;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Domain.Sessions;
using AuthPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Infrastructure.Tokens;

/// <summary>
/// Access tokens refused before their <c>exp</c>, in this instance's memory (like
/// <see cref="RevokedClientCache"/> and <see cref="SecurityStampCache"/>, ADR 0013/0014): single
/// tokens revoked at <c>/oauth/revoke</c> by <c>jti</c>, kept until their <c>exp</c> (plus the
/// clock skew), and sessions (refresh-token families) ended by a client's revocation or a withdrawn
/// consent, a replayed refresh token or the reuse of the authorization code that issued them, by <c>sid</c>, kept for an access token's lifetime plus skew and margin. One lock-free
/// lookup per validation, no database read. The sessions are loaded again at start-up from
/// <c>refresh_token_families.revoked_at</c>; a revoked <c>jti</c> is not persisted, so after a
/// restart (or on another instance) a revoked token that named no session lives until its <c>exp</c>.
/// </summary>
public sealed class RevokedAccessTokenCache(IOptions<JwtOptions> options, TimeProvider clock) : IRevokedAccessTokens
{
    private readonly ExpiringKeys<string> _tokens = new(clock, StringComparer.Ordinal);
    private readonly ExpiringKeys<Guid> _sessions = new(clock);

    /// <summary>How long an ended session is remembered: no access token of it outlives this.</summary>
    public TimeSpan Horizon => options.Value.AccessTokenLifetime + options.Value.ClockSkew + SecurityStampCache.Margin;

    public int Count => _tokens.Count + _sessions.Count;

    public void RememberToken(string tokenId, DateTimeOffset expiresAt)
    {
        // Kept until the validator would refuse the token anyway: exp plus the allowed skew.
        _tokens.Hold(tokenId, expiresAt + options.Value.ClockSkew);
    }

    public void RememberSession(Guid sessionId, DateTimeOffset revokedAt)
    {
        _sessions.Hold(sessionId, revokedAt + Horizon);
    }

    /// <summary>True when the token (by <c>jti</c>) or its session (by <c>sid</c>) was revoked.</summary>
    public bool IsRevoked(string? tokenId, Guid? sessionId)
    {
        // TryGetValue takes no lock (IsEmpty would take them all).
        return (tokenId is not null && _tokens.Holds(tokenId)) || (sessionId is { } sid && _sessions.Holds(sid));
    }

    /// <summary>At start-up: the sessions ended by a client's revocation, a withdrawn consent or a reused code within <see cref="Horizon"/>.</summary>
    public async Task LoadRecentAsync(AuthDbContext db, CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow() - Horizon;
        var recent = await db.RefreshTokenFamilies.AsNoTracking()
            .Where(f => f.RevokedAt != null && f.RevokedAt > since
                && (f.RevocationReason == RevocationReasons.TokenRevoked || f.RevocationReason == RevocationReasons.GrantRevoked
                    || f.RevocationReason == RevocationReasons.CodeReuse || f.RevocationReason == RevocationReasons.Reuse))
            .Select(f => new { f.Id, f.RevokedAt })
            .ToListAsync(cancellationToken);
        foreach (var family in recent)
        {
            RememberSession(family.Id, family.RevokedAt!.Value);
        }
    }
}
