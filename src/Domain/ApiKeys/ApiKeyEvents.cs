using AuthPlatform.Domain.Common;

namespace AuthPlatform.Domain.ApiKeys;

/// <summary>A change after which a key's verified copy, wherever it is remembered, must be forgotten.</summary>
public interface IApiKeyInvalidated : IDomainEvent
{
    /// <summary>The SHA-256 of the key (not a secret: the key itself has 256 bits).</summary>
    string KeyHash { get; }
}

/// <summary>
/// <see cref="CreatedByKeyId"/> is the key the caller authenticated with, if it was a key;
/// <see cref="ServiceAccountId"/> the service account the key acts as, if any.
/// </summary>
public sealed record ApiKeyCreated(Guid KeyId, Guid OwnerId, string KeyPrefix, Guid? CreatedByKeyId = null, Guid? ServiceAccountId = null) : IDomainEvent;

public sealed record ApiKeyRotated(Guid KeyId, Guid OwnerId, Guid SuccessorId, string SuccessorPrefix, string KeyHash) : IApiKeyInvalidated;

/// <summary>
/// <see cref="ActorId"/> is who revoked it (the owner, or an administrator); <see cref="RevokedWithKeyId"/>
/// is the key that created it, when it was revoked because that key was revoked, rotated or deleted.
/// </summary>
public sealed record ApiKeyRevoked(Guid KeyId, Guid OwnerId, string KeyPrefix, Guid ActorId, string KeyHash, Guid? RevokedWithKeyId = null)
    : IApiKeyInvalidated;

public sealed record ApiKeyDeleted(Guid KeyId, Guid OwnerId, string KeyPrefix, Guid ActorId, string KeyHash) : IApiKeyInvalidated;
