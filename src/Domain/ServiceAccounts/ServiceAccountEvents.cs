using AuthPlatform.Domain.Common;

namespace AuthPlatform.Domain.ServiceAccounts;

/// <summary>A service account was created by <see cref="OwnerId"/> with its first secret.</summary>
public sealed record ServiceAccountCreated(Guid ServiceAccountId, Guid OwnerId, string ClientId, Guid SecretId) : IDomainEvent;

/// <summary>
/// A service account was deleted by <see cref="ActorId"/> (its owner or an administrator): its secrets
/// are gone, and its access tokens must stop at once wherever they are verified.
/// </summary>
public sealed record ServiceAccountDeleted(Guid ServiceAccountId, Guid OwnerId, string ClientId, Guid ActorId, DateTimeOffset DeletedAt) : IDomainEvent;

public sealed record ServiceAccountSecretAdded(Guid ServiceAccountId, Guid OwnerId, string ClientId, Guid SecretId, Guid ActorId) : IDomainEvent;

public sealed record ServiceAccountSecretDeleted(Guid ServiceAccountId, Guid OwnerId, string ClientId, Guid SecretId, Guid ActorId) : IDomainEvent;
