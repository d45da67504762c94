using System.Collections.Concurrent;
using AuthPlatform.Application.Common.Options;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Users;
using AuthPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Infrastructure.Tokens;

/// <summary>
/// The current security-stamp fingerprint of every user whose stamp changed within an access
/// token's lifetime (plus the clock skew and a margin), in this instance's memory: the JWT
/// validator refuses a token of such a user whose fingerprint differs, with no database read
/// (ADR 0013). A user not remembered here has had the same stamp for longer than any token
/// lives, so every unexpired token of theirs carries it. Filled after each commit that rotates a
/// stamp, and at start-up from <c>users.security_stamp_changed_at</c>. Per instance: other
/// instances learn a change only at their next start, until a shared channel (Redis) exists.
/// </summary>
public sealed class SecurityStampCache(IOptions<JwtOptions> options, TimeProvider clock) : ISecurityStamps
{
    /// <summary>Beyond the token lifetime and skew: covers a token signed with the old stamp by a request racing the change.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromMinutes(5);

    private const int PruneAbove = 50_000;
    private readonly ConcurrentDictionary<Guid, Entry> _current = new();

    /// <summary>How long a rotation is remembered: no token signed with an older stamp outlives it.</summary>
    public TimeSpan Horizon => options.Value.AccessTokenLifetime + options.Value.ClockSkew + Margin;

    public int Count => _current.Count;

    public void Remember(Guid userId, string fingerprint, DateTimeOffset rotatedAt)
    {
        var entry = new Entry(fingerprint, rotatedAt);
        // Two rotations committed close together may be reported out of order: the later one wins.
        _current.AddOrUpdate(userId, entry, (_, old) => old.RotatedAt > rotatedAt ? old : entry);
        if (_current.Count > PruneAbove)
        {
            Prune();
        }
    }

    /// <summary>False when the user's stamp changed recently and <paramref name="fingerprint"/> is not the current one.</summary>
    public bool Accepts(Guid userId, string? fingerprint)
    {
        // TryGetValue takes no lock (IsEmpty would take them all when the map is empty).
        if (!_current.TryGetValue(userId, out var entry)
            || string.Equals(entry.Fingerprint, fingerprint, StringComparison.Ordinal))
        {
            return true;
        }

        if (entry.RotatedAt + Horizon < clock.GetUtcNow())
        {
            // Every token signed with an older stamp has expired by now.
            _current.TryRemove(KeyValuePair.Create(userId, entry));
            return true;
        }

        return false;
    }

    /// <summary>At start-up: the stamps that changed within <see cref="Horizon"/>, from the database.</summary>
    public async Task LoadRecentAsync(AuthDbContext db, CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow() - Horizon;
        var recent = await db.Users.AsNoTracking()
            .Where(u => u.SecurityStampChangedAt != null && u.SecurityStampChangedAt > since)
            .Select(u => new { u.Id, u.SecurityStamp, u.SecurityStampChangedAt })
            .ToListAsync(cancellationToken);
        foreach (var user in recent)
        {
            Remember(user.Id, SecurityStamps.Fingerprint(user.SecurityStamp), user.SecurityStampChangedAt!.Value);
        }
    }

    private void Prune()
    {
        var before = clock.GetUtcNow() - Horizon;
        foreach (var (userId, entry) in _current)
        {
            if (entry.RotatedAt < before)
            {
                _current.TryRemove(KeyValuePair.Create(userId, entry));
            }
        }
    }

    private sealed record Entry(string Fingerprint, DateTimeOffset RotatedAt);
}
