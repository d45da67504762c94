// Longer than 150 lines because the answer from memory and the database read share one cache and its rule against racing evictions.
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
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Infrastructure.ApiKeys;

/// <summary>
/// Verifies API keys on the hot path: shape and checksum first (no I/O), then this instance's
/// memory, then the database, once the caller allowed the read (the web layer holds each client
/// address to a budget of such reads). A verified key is trusted from memory for
/// <see cref="ApiKeyOptions.CacheDuration"/>; revoking, rotating or deleting it, and disabling,
/// enabling or changing the role of its owner's account, evicts it at once. A key allows the
/// permissions it was issued with that its owner's role holds when it is read
/// (<see cref="Scopes.Effective"/>, as a refresh does for a session): a key an administrator made
/// loses <c>admin</c> when the owner is demoted.
/// </summary>
public sealed class ApiKeyAuthenticator(
    ApiKeyFormat format,
    ISecretGenerator hasher,
    IServiceScopeFactory scopes,
    ApiKeyUsageTracker usage,
    IScopeCatalog scopeCatalog,
    AuthMetrics metrics,
    IOptions<ApiKeyOptions> options,
    Cluster.MemoryLifetimes lifetimes,
    TimeProvider clock) : IApiKeyAuthenticator, IApiKeyCache
{
    private static readonly TokenValidation Invalid = new(null, ErrorCodes.InvalidApiKey, "The API key is invalid, expired or revoked.");
    private static readonly TokenValidation Malformed = new(null, ErrorCodes.InvalidApiKey, "The API key is malformed.");

    private long _evictions;

    // Verified keys by the SHA-256 of the key (no string is made to find one). Unknown (well-formed,
    // checksum-valid) keys are remembered apart, in a smaller store of their own, so that a flood of
    // made-up keys can never push verified keys out of memory.
    private readonly RememberedKeys<CachedKey> _verified = new(100_000, clock);
    private readonly RememberedKeys<CachedKey> _unknown = new(10_000, clock);

    public bool LooksLikeApiKey(ReadOnlySpan<char> credential) => format.HasKeyPrefix(credential);

    public bool TryAuthenticateFromMemory(ReadOnlySpan<char> key, out TokenValidation validation)
    {
        if (!format.IsWellFormed(key))
        {
            validation = Malformed;
            return true;
        }

        Span<byte> digest = stackalloc byte[KeyDigest.Size];
        hasher.Hash(key, digest);
        if (!TryRemembered(KeyDigest.Of(digest), out var cached))
        {
            validation = Invalid;
            return false;
        }

        validation = Judge(cached);
        return true;
    }

    public async Task<TokenValidation> AuthenticateFromDatabaseAsync(string key, CancellationToken cancellationToken)
    {
        if (!format.IsWellFormed(key))
        {
            return Malformed;
        }

        var hash = hasher.Hash(key);
        var entry = await ReadAsync(hash, cancellationToken);
        return entry is not null && CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(entry.Hash.AsSpan()), MemoryMarshal.AsBytes(hash.AsSpan()))
            ? Judge(entry)
            : Invalid;
    }

    /// <summary>A key remembered (found by its own SHA-256) or read by its hash: valid unless revoked or expired.</summary>
    private TokenValidation Judge(CachedKey? entry)
    {
        var now = clock.GetUtcNow();
        if (entry is null
            || entry.RevokedAt is not null
            || entry.ExpiresAt is { } expiry && expiry <= now)
        {
            return Invalid;
        }

        usage.Touch(entry.Id, now);
        return entry.Validation;
    }

    public void Evict(string keyHash)
    {
        Interlocked.Increment(ref _evictions);
        if (KeyDigest.TryParse(keyHash, out var digest))
        {
            _verified.Remove(digest);
            _unknown.Remove(digest);
        }
    }

    /// <summary>Forgets every key (another node's revocations may have been missed, ADR 0022).</summary>
    public void ForgetAll()
    {
        Interlocked.Increment(ref _evictions);
        _verified.Clear();
        _unknown.Clear();
    }

    /// <summary>True when memory knows the key: <paramref name="entry"/> is then the key, or null for a key known to be unknown.</summary>
    private bool TryRemembered(KeyDigest digest, out CachedKey? entry)
    {
        if (_verified.TryGet(digest, out var cached) || _unknown.TryGet(digest, out cached))
        {
            metrics.ApiKeyCacheLookup(hit: true);
            entry = cached.Id != Guid.Empty ? cached : null;
            return true;
        }

        metrics.ApiKeyCacheLookup(hit: false);
        entry = null;
        return false;
    }

    private async Task<CachedKey?> ReadAsync(string hash, CancellationToken cancellationToken)
    {
        if (!KeyDigest.TryParse(hash, out var digest))
        {
            return null;
        }

        // A revocation that commits while we read must not be undone by caching what we read.
        var evictionsBefore = Interlocked.Read(ref _evictions);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        // The key is read with its owner's standing: a key of a disabled account reads as unknown,
        // and the owner's role caps its permissions. Disabling, enabling and a role change evict
        // the account's keys, so that no answer outlives the change here. A service account's key
        // acts as the account (its client id), and only while the account lives.
        // One statement whose rows come from api_keys (joins, no subquery in the select list).
        var found = await (
                from k in db.ApiKeys.AsNoTracking()
                where k.KeyHash == hash
                join u in db.Users.Where(u => !u.IsDisabled) on k.OwnerId equals u.Id
                join a in db.ServiceAccounts.Where(a => a.DeletedAt == null) on k.ServiceAccountId equals (Guid?)a.Id into accounts
                from a in accounts.DefaultIfEmpty()
                select new { k.Id, k.OwnerId, k.KeyHash, k.Permissions, k.ExpiresAt, k.RevokedAt, k.ServiceAccountId, u.Role, Account = a == null ? null : a.ClientId })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is { ServiceAccountId: not null, Account: null })
        {
            found = null;
        }

        var entry = found is null
            ? CachedKey.Unknown
            : CachedKey.From(
                found.Id,
                found.OwnerId,
                found.KeyHash,
                Scopes.Effective(found.Permissions, found.Role, scopeCatalog.OperatorScopes),
                found.ExpiresAt,
                found.RevokedAt,
                found.Account);
        var lifetime = lifetimes.Cap(found is null ? options.Value.NegativeCacheDuration : options.Value.CacheDuration);
        var target = found is null ? _unknown : _verified;
        target.Set(digest, entry, lifetime);
        if (Interlocked.Read(ref _evictions) != evictionsBefore)
        {
            // A revocation committed while we read: what we read may be stale, so keep nothing.
            target.Remove(digest);
        }

        return found is null ? null : entry;
    }

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
