using System.Runtime.InteropServices;
using System.Security.Cryptography;
using AuthPlatform.Application.ApiKeys.Common;
using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Diagnostics;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Infrastructure.ApiKeys;

/// <summary>
/// Verifies API keys on the hot path: shape and checksum first (no I/O), then this instance's
/// memory, then the database. A verified key is trusted from memory for
/// <see cref="ApiKeyOptions.CacheDuration"/>; revoking, rotating or deleting it, and disabling or
/// enabling its owner's account, evicts it at once.
/// </summary>
public sealed class ApiKeyAuthenticator(
    ApiKeyFormat format,
    ISecretGenerator hasher,
    IMemoryCache cache,
    IServiceScopeFactory scopes,
    ApiKeyUsageTracker usage,
    AuthMetrics metrics,
    IOptions<ApiKeyOptions> options,
    TimeProvider clock) : IApiKeyAuthenticator, IApiKeyCache, IDisposable
{
    private static readonly TokenValidation Invalid = new(null, ErrorCodes.InvalidApiKey, "The API key is invalid, expired or revoked.");
    private static readonly TokenValidation Malformed = new(null, ErrorCodes.InvalidApiKey, "The API key is malformed.");

    private long _evictions;

    // Unknown (well-formed, checksum-valid) keys are remembered apart, in a small cache of their
    // own, so that a flood of made-up keys can never push verified keys out of memory.
    private readonly MemoryCache _unknown = new(new MemoryCacheOptions { SizeLimit = 10_000 });

    public bool LooksLikeApiKey(string credential) => format.HasKeyPrefix(credential);

    public async Task<TokenValidation> AuthenticateAsync(string key, CancellationToken cancellationToken)
    {
        if (!format.IsWellFormed(key))
        {
            return Malformed;
        }

        var hash = hasher.Hash(key);
        var entry = await FindAsync(hash, cancellationToken);
        var now = clock.GetUtcNow();
        if (entry is null
            || !CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(entry.Hash.AsSpan()), MemoryMarshal.AsBytes(hash.AsSpan()))
            || entry.RevokedAt is not null
            || entry.ExpiresAt is { } expiry && expiry <= now)
        {
            return Invalid;
        }

        usage.Touch(entry.Id, now);
        return entry.Validation;
    }

    public void Dispose() => _unknown.Dispose();

    public void Evict(string keyHash)
    {
        Interlocked.Increment(ref _evictions);
        cache.Remove(CacheKey(keyHash));
        _unknown.Remove(CacheKey(keyHash));
    }

    private async Task<CachedKey?> FindAsync(string hash, CancellationToken cancellationToken)
    {
        var cacheKey = CacheKey(hash);
        if (cache.TryGetValue(cacheKey, out CachedKey? cached) || _unknown.TryGetValue(cacheKey, out cached))
        {
            metrics.ApiKeyCacheLookup(hit: true);
            return cached is { Id: var id } && id != Guid.Empty ? cached : null;
        }

        metrics.ApiKeyCacheLookup(hit: false);

        // A revocation that commits while we read must not be undone by caching what we read.
        var evictionsBefore = Interlocked.Read(ref _evictions);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        // A key of a disabled account reads as unknown: disabling evicts the account's keys, and
        // enabling it again evicts them once more, so that neither answer outlives the change here.
        // A service account's key acts as the account (its client id), and only while the account lives.
        var found = await db.ApiKeys.AsNoTracking()
            .Where(k => k.KeyHash == hash && !db.Users.Any(u => u.Id == k.OwnerId && u.IsDisabled))
            .Select(k => new
            {
                k.Id, k.OwnerId, k.KeyHash, k.Permissions, k.ExpiresAt, k.RevokedAt, k.ServiceAccountId,
                Account = db.ServiceAccounts.Where(a => a.Id == k.ServiceAccountId && a.DeletedAt == null).Select(a => a.ClientId).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is { ServiceAccountId: not null, Account: null })
        {
            found = null;
        }

        var entry = found is null
            ? CachedKey.Unknown
            : CachedKey.From(found.Id, found.OwnerId, found.KeyHash, found.Permissions, found.ExpiresAt, found.RevokedAt, found.Account);
        var lifetime = found is null ? options.Value.NegativeCacheDuration : options.Value.CacheDuration;
        var target = found is null ? _unknown : cache;
        target.Set(cacheKey, entry, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = lifetime, Size = 1 });
        if (Interlocked.Read(ref _evictions) != evictionsBefore)
        {
            // A revocation committed while we read: what we read may be stale, so keep nothing.
            target.Remove(cacheKey);
        }

        return found is null ? null : entry;
    }

    private static string CacheKey(string hash) => "apikey:" + hash;

    /// <summary>What a verified key stands for; the caller is built once, so its principal can be too.</summary>
    private sealed record CachedKey(Guid Id, string Hash, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, TokenValidation Validation)
    {
        public static readonly CachedKey Unknown = new(Guid.Empty, string.Empty, null, null, Invalid);

        public static CachedKey From(
            Guid id, Guid ownerId, string hash, ScopeSet permissions, DateTimeOffset? expiresAt, DateTimeOffset? revokedAt, string? serviceAccountClientId)
        {
            var identity = serviceAccountClientId is null
                ? new CallerIdentity(ownerId.ToString(), ownerId, AuthMethods.ApiKey, permissions, null, id, null, expiresAt)
                : new CallerIdentity(serviceAccountClientId, null, AuthMethods.ApiKey, permissions, serviceAccountClientId, id, null, expiresAt);
            return new CachedKey(id, hash, expiresAt, revokedAt, new TokenValidation(new CallerIdentityResult(identity, null), null, null));
        }
    }
}
