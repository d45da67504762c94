using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.Common;

namespace AuthPlatform.Domain.ApiKeys;

/// <summary>
/// A long-lived credential (the seeds' "personal access tokens" and "access keys") owned by a
/// user. Only the SHA-256 hash of the secret is kept, with a short display prefix. A key never
/// holds a permission its owner lacks; the issuer checks that before calling <see cref="Issue"/>.
/// </summary>
public sealed class ApiKey : AggregateRoot
{
    public const int MaxNameLength = 100;
    public const int MaxPermissions = 64;

    private ApiKey()
    {
    }

    public Guid Id { get; private set; }

    public Guid OwnerId { get; private set; }

    public string Name { get; private set; } = string.Empty;

    /// <summary>The visible start of the key (<c>ap_AbCdEfGh</c>): enough to recognise it, useless to use it.</summary>
    public string KeyPrefix { get; private set; } = string.Empty;

    public string KeyHash { get; private set; } = string.Empty;

    public ScopeSet Permissions { get; private set; } = ScopeSet.Empty;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? ExpiresAt { get; private set; }

    public DateTimeOffset? LastUsedAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    /// <summary>The key that replaced this one when it was rotated.</summary>
    public Guid? ReplacedById { get; private set; }

    public int Version { get; private set; }

    /// <summary>A new key. Least privilege (never a scope the owner lacks) is checked by the issuer first.</summary>
    public static ApiKey Issue(
        Guid id,
        Guid ownerId,
        string name,
        string keyPrefix,
        string keyHash,
        ScopeSet permissions,
        DateTimeOffset? expiresAt,
        DateTimeOffset now)
    {
        var key = New(id, ownerId, name, keyPrefix, keyHash, permissions, expiresAt, now);
        key.Raise(new ApiKeyCreated(key.Id, key.OwnerId, key.KeyPrefix));
        return key;
    }

    private static ApiKey New(
        Guid id,
        Guid ownerId,
        string name,
        string keyPrefix,
        string keyHash,
        ScopeSet permissions,
        DateTimeOffset? expiresAt,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(permissions);
        if (id == Guid.Empty || ownerId == Guid.Empty)
        {
            throw new DomainException("An API key needs an id and an owner.");
        }

        Guard.Utc(now, nameof(now));
        if (expiresAt is { } expiry && expiry <= now)
        {
            throw new DomainException("An API key cannot expire before it is issued.");
        }

        if (permissions.Count is 0 or > MaxPermissions)
        {
            throw new DomainException($"An API key holds 1 to {MaxPermissions} permissions.");
        }

        return new ApiKey
        {
            Id = id,
            OwnerId = ownerId,
            Name = Guard.NotBlank(name, nameof(name), MaxNameLength).Trim(),
            KeyPrefix = Guard.NotBlank(keyPrefix, nameof(keyPrefix), 64),
            KeyHash = Guard.NotBlank(keyHash, nameof(keyHash), 128),
            Permissions = permissions,
            ExpiresAt = expiresAt,
            CreatedAt = now,
        };
    }

    public bool IsActive(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);

    /// <summary>Stops the key at once. Idempotent: the first revocation time is kept.</summary>
    public void Revoke(DateTimeOffset now, Guid actorId)
    {
        if (RevokeCore(now))
        {
            Raise(new ApiKeyRevoked(Id, OwnerId, KeyPrefix, actorId, KeyHash));
        }
    }

    /// <summary>Marks the key for deletion by its repository (the record goes; the audit trail keeps the event).</summary>
    public void Delete(Guid actorId) => Raise(new ApiKeyDeleted(Id, OwnerId, KeyPrefix, actorId, KeyHash));

    /// <summary>Issues the successor (same name and permissions, new secret) and revokes this key.</summary>
    public ApiKey Rotate(Guid newId, string keyPrefix, string keyHash, DateTimeOffset now)
    {
        if (!IsActive(now))
        {
            throw new DomainException("Only an active key can be rotated.");
        }

        var successor = New(newId, OwnerId, Name, keyPrefix, keyHash, Permissions, ExpiresAt, now);
        RevokeCore(now);
        ReplacedById = successor.Id;
        Raise(new ApiKeyRotated(Id, OwnerId, successor.Id, successor.KeyPrefix, KeyHash));
        return successor;
    }

    private bool RevokeCore(DateTimeOffset now)
    {
        Guard.Utc(now, nameof(now));
        if (RevokedAt is not null)
        {
            return false;
        }

        RevokedAt = now;
        Version++;
        return true;
    }
}
