using System.Collections.Concurrent;
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
    private const int PruneAbove = 50_000;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _sessions = new();
    private int _tokensPruneAt = PruneAbove;
    private int _sessionsPruneAt = PruneAbove;

    /// <summary>How long an ended session is remembered: no access token of it outlives this.</summary>
    public TimeSpan Horizon => options.Value.AccessTokenLifetime + options.Value.ClockSkew + SecurityStampCache.Margin;

    public int Count => _tokens.Count + _sessions.Count;

    public void RememberToken(string tokenId, DateTimeOffset expiresAt)
    {
        // Kept until the validator would refuse the token anyway: exp plus the allowed skew.
        _tokens[tokenId] = expiresAt + options.Value.ClockSkew;
        PruneIfDue(_tokens, ref _tokensPruneAt);
    }

    public void RememberSession(Guid sessionId, DateTimeOffset revokedAt)
    {
        _sessions[sessionId] = revokedAt + Horizon;
        PruneIfDue(_sessions, ref _sessionsPruneAt);
    }

    /// <summary>True when the token (by <c>jti</c>) or its session (by <c>sid</c>) was revoked.</summary>
    public bool IsRevoked(string? tokenId, Guid? sessionId)
    {
        // TryGetValue takes no lock (IsEmpty would take them all).
        return (tokenId is not null && Holds(_tokens, tokenId)) || (sessionId is { } sid && Holds(_sessions, sid));
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

    private bool Holds<TKey>(ConcurrentDictionary<TKey, DateTimeOffset> map, TKey key)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var until))
        {
            return false;
        }

        if (until < clock.GetUtcNow())
        {
            map.TryRemove(KeyValuePair.Create(key, until));
            return false;
        }

        return true;
    }

    /// <summary>
    /// Prunes past <paramref name="pruneAt"/> entries, then sets the next prune at twice what is left
    /// (at least <see cref="PruneAbove"/>): a map full of live entries is not scanned on every add,
    /// so many revocations within one token lifetime cost amortised constant time each.
    /// </summary>
    private void PruneIfDue<TKey>(ConcurrentDictionary<TKey, DateTimeOffset> map, ref int pruneAt)
        where TKey : notnull
    {
        if (map.Count <= Volatile.Read(ref pruneAt))
        {
            return;
        }

        Prune(map, clock.GetUtcNow());
        Volatile.Write(ref pruneAt, Math.Max(PruneAbove, map.Count * 2));
    }

    private static void Prune<TKey>(ConcurrentDictionary<TKey, DateTimeOffset> map, DateTimeOffset now)
        where TKey : notnull
    {
        foreach (var (key, until) in map)
        {
            if (until < now)
            {
                map.TryRemove(KeyValuePair.Create(key, until));
            }
        }
    }
}
