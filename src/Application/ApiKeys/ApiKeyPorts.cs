using AuthPlatform.Domain.ApiKeys;

namespace AuthPlatform.Application.ApiKeys;

public interface IApiKeyRepository
{
    Task<ApiKey?> FindByIdAsync(Guid id, CancellationToken cancellationToken);

    void Add(ApiKey key);

    void Remove(ApiKey key);
}

/// <summary>Reads keys for listing, without tracking and never with the hash.</summary>
public interface IApiKeyReader
{
    Task<IReadOnlyList<ApiKeyResponse>> ListAsync(Guid? ownerId, CancellationToken cancellationToken);
}

/// <summary>A new key: the secret (shown once), its display prefix and its hash.</summary>
public sealed record GeneratedApiKey(string Key, string Prefix, string Hash);

/// <summary>Makes API keys in the product's format (prefix, random body, checksum).</summary>
public interface IApiKeyGenerator
{
    GeneratedApiKey Generate();
}

/// <summary>The verified-key cache of this instance: changes to a key evict it at once.</summary>
public interface IApiKeyCache
{
    void Evict(string keyHash);
}

/// <summary>The answer for a key, never with its secret.</summary>
public sealed record ApiKeyResponse(
    Guid Id,
    Guid OwnerId,
    string Name,
    string KeyPrefix,
    IReadOnlyList<string> Permissions,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt)
{
    public static ApiKeyResponse From(ApiKey key) => new(
        key.Id, key.OwnerId, key.Name, key.KeyPrefix, key.PermissionList, key.ExpiresAt, key.CreatedAt, key.LastUsedAt, key.RevokedAt);
}

/// <summary>The answer that carries the secret: create and rotate only.</summary>
public sealed record ApiKeyCreatedResponse(
    Guid Id,
    string Name,
    string Key,
    string KeyPrefix,
    IReadOnlyList<string> Permissions,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset CreatedAt)
{
    public static ApiKeyCreatedResponse From(ApiKey key, string secret) =>
        new(key.Id, key.Name, secret, key.KeyPrefix, key.PermissionList, key.ExpiresAt, key.CreatedAt);
}
