using AuthPlatform.Domain.Common;

namespace AuthPlatform.Domain.ApiKeys;

/// <summary>
/// A long-lived credential (the seeds' "personal access tokens" and "access keys") owned by a
/// user. Only the SHA-256 hash of the secret is kept, with a short display prefix. A key never
/// holds a permission its owner lacks; the issuer checks that before calling <see cref="Issue"/>.
/// </summary>
public sealed class ApiKey
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

    /// <summary>Scopes, space separated.</summary>
    public string Permissions { get; private set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? ExpiresAt { get; private set; }

    public DateTimeOffset? LastUsedAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    /// <summary>The key that replaced this one when it was rotated.</summary>
    public Guid? ReplacedById { get; private set; }

    public int Version { get; private set; }

    public IReadOnlyList<string> PermissionList => Permissions.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public static ApiKey Issue(
        Guid id,
        Guid ownerId,
        string name,
        string keyPrefix,
        string keyHash,
        IReadOnlyCollection<string> permissions,
        DateTimeOffset? expiresAt,
        DateTimeOffset now)
    {
        if (id == Guid.Empty || ownerId == Guid.Empty)
        {
            throw new DomainException("An API key needs an id and an owner.");
        }

        Guard.Utc(now, nameof(now));
        if (expiresAt is { } expiry && expiry <= now)
        {
            throw new DomainException("An API key cannot expire before it is issued.");
        }

        if (permissions.Count > MaxPermissions || permissions.Any(p => !Authorization.Scopes.IsValidName(p)))
        {
            throw new DomainException("An API key's permissions must be valid scope names.");
        }

        return new ApiKey
        {
            Id = id,
            OwnerId = ownerId,
            Name = Guard.NotBlank(name, nameof(name), MaxNameLength).Trim(),
            KeyPrefix = Guard.NotBlank(keyPrefix, nameof(keyPrefix), 64),
            KeyHash = Guard.NotBlank(keyHash, nameof(keyHash), 128),
            Permissions = string.Join(' ', permissions.Distinct(StringComparer.Ordinal)),
            ExpiresAt = expiresAt,
            CreatedAt = now,
        };
    }

    public bool IsActive(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);

    /// <summary>Stops the key at once. Idempotent: the first revocation time is kept.</summary>
    public void Revoke(DateTimeOffset now)
    {
        if (RevokedAt is not null)
        {
            return;
        }

        RevokedAt = now;
        Version++;
    }

    /// <summary>Issues the successor (same name and permissions, new secret) and revokes this key.</summary>
    public ApiKey Rotate(Guid newId, string keyPrefix, string keyHash, DateTimeOffset now)
    {
        if (!IsActive(now))
        {
            throw new DomainException("Only an active key can be rotated.");
        }

        var successor = Issue(newId, OwnerId, Name, keyPrefix, keyHash, PermissionList.ToList(), ExpiresAt, now);
        Revoke(now);
        ReplacedById = successor.Id;
        return successor;
    }
}
