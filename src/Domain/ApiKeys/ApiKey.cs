// Longer than 150 lines because issuing, the cap by the creating key, rotation and revocation guard one set of invariants over private setters.
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.Common;

namespace AuthPlatform.Domain.ApiKeys;

/// <summary>
/// A long-lived credential (the seeds' "personal access tokens" and "access keys") owned by a
/// user. Only the SHA-256 hash of the secret is kept, with a short display prefix. A key never
/// holds a permission its owner lacks; the issuer checks that before calling <see cref="Issue"/>.
/// A key created with a key remembers it (<see cref="CreatedByKeyId"/>), never outlives it, and
/// is revoked with it (<see cref="RevokeWithCreator"/>).
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

    /// <summary>The key the caller authenticated with when it created this one; null when it used a session.</summary>
    public Guid? CreatedByKeyId { get; private set; }

    /// <summary>
    /// The service account this key acts as, when it was created for one (<c>POST /service-accounts/{id}/api-keys</c>);
    /// null for a user's own key. <see cref="OwnerId"/> is then the service account's owner, who manages it.
    /// </summary>
    public Guid? ServiceAccountId { get; private set; }

    public int Version { get; private set; }

    /// <summary>
    /// A new key. Least privilege (never a scope the owner lacks) is checked by the issuer first.
    /// With <paramref name="createdBy"/> (the caller authenticated with a key), the new key is
    /// linked to it and expires no later than it: at its expiry when none is asked for.
    /// </summary>
    public static ApiKey Issue(
        Guid id,
        Guid ownerId,
        string name,
        string keyPrefix,
        string keyHash,
        ScopeSet permissions,
        DateTimeOffset? expiresAt,
        DateTimeOffset now,
        ApiKey? createdBy = null)
    {
        if (createdBy is not null)
        {
            expiresAt = createdBy.ExpiryOfKeyItCreates(ownerId, expiresAt, now);
        }

        var key = New(id, ownerId, name, keyPrefix, keyHash, permissions, expiresAt, now, createdBy?.Id);
        key.Raise(new ApiKeyCreated(key.Id, key.OwnerId, key.KeyPrefix, key.CreatedByKeyId));
        return key;
    }

    /// <summary>
    /// A new key that acts as a service account, with at most its scopes (checked by the issuer first).
    /// <paramref name="ownerId"/> is the account's owner, who manages the key.
    /// </summary>
    public static ApiKey IssueForServiceAccount(
        Guid id,
        Guid serviceAccountId,
        Guid ownerId,
        string name,
        string keyPrefix,
        string keyHash,
        ScopeSet permissions,
        DateTimeOffset? expiresAt,
        DateTimeOffset now)
    {
        if (serviceAccountId == Guid.Empty)
        {
            throw new DomainException("A service account's key needs the service account.");
        }

        var key = New(id, ownerId, name, keyPrefix, keyHash, permissions, expiresAt, now, null);
        key.ServiceAccountId = serviceAccountId;
        key.Raise(new ApiKeyCreated(key.Id, key.OwnerId, key.KeyPrefix, null, serviceAccountId));
        return key;
    }

    /// <summary>True when a key created with this one may expire at <paramref name="expiresAt"/> (null: the default, this key's expiry).</summary>
    public bool AllowsExpiryOfKeyItCreates(DateTimeOffset? expiresAt) =>
        expiresAt is null || ExpiresAt is null || expiresAt <= ExpiresAt;

    private static ApiKey New(
        Guid id,
        Guid ownerId,
        string name,
        string keyPrefix,
        string keyHash,
        ScopeSet permissions,
        DateTimeOffset? expiresAt,
        DateTimeOffset now,
        Guid? createdByKeyId)
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
            CreatedByKeyId = createdByKeyId,
        };
    }

    private DateTimeOffset? ExpiryOfKeyItCreates(Guid ownerId, DateTimeOffset? expiresAt, DateTimeOffset now)
    {
        if (OwnerId != ownerId)
        {
            throw new DomainException("A key creates keys for its own owner only.");
        }

        if (!IsActive(now))
        {
            throw new DomainException("Only an active key can create keys.");
        }

        if (!AllowsExpiryOfKeyItCreates(expiresAt))
        {
            throw new DomainException("A key created with a key cannot expire after it.");
        }

        return expiresAt ?? ExpiresAt;
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

    /// <summary>
    /// Revokes this key because the key that created it was revoked, rotated or deleted by
    /// <paramref name="actorId"/>. Idempotent, like <see cref="Revoke"/>.
    /// </summary>
    public void RevokeWithCreator(Guid creatorId, DateTimeOffset now, Guid actorId)
    {
        if (CreatedByKeyId != creatorId)
        {
            throw new DomainException("A key is revoked with the key that created it, not with another.");
        }

        if (RevokeCore(now))
        {
            Raise(new ApiKeyRevoked(Id, OwnerId, KeyPrefix, actorId, KeyHash, creatorId));
        }
    }

    /// <summary>Marks the key for deletion by its repository (the record goes; the audit trail keeps the event).</summary>
    public void Delete(Guid actorId) => Raise(new ApiKeyDeleted(Id, OwnerId, KeyPrefix, actorId, KeyHash));

    /// <summary>Issues the successor (same name, permissions, expiry and creator; new secret) and revokes this key.</summary>
    public ApiKey Rotate(Guid newId, string keyPrefix, string keyHash, DateTimeOffset now)
    {
        if (!IsActive(now))
        {
            throw new DomainException("Only an active key can be rotated.");
        }

        var successor = New(newId, OwnerId, Name, keyPrefix, keyHash, Permissions, ExpiresAt, now, CreatedByKeyId);
        successor.ServiceAccountId = ServiceAccountId;
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
