namespace AuthPlatform.Application.ApiKeys.Common;

/// <summary>The answer for a key, never with its secret. <see cref="CreatedByKeyId"/>: the key it was created with, if any.</summary>
public sealed record ApiKeyResponse(
    Guid Id,
    Guid OwnerId,
    string Name,
    string KeyPrefix,
    IReadOnlyList<string> Permissions,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt,
    Guid? CreatedByKeyId);

/// <summary>The answer that carries the secret: create and rotate only.</summary>
public sealed record ApiKeyCreatedResponse(
    Guid Id,
    string Name,
    string Key,
    string KeyPrefix,
    IReadOnlyList<string> Permissions,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset CreatedAt,
    Guid? CreatedByKeyId);
