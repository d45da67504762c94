using AuthPlatform.Domain.Common;

namespace AuthPlatform.Domain.OAuth;

/// <summary><see cref="ClientId"/> is the public identifier (<c>oc_…</c>); <see cref="ActorId"/> who registered it.</summary>
public sealed record OAuthClientCreated(Guid Id, string ClientId, Guid OwnerId, OAuthClientType Type, Guid ActorId) : IDomainEvent;

/// <summary><see cref="Changed"/> lists the settings that changed, by their API names (<c>redirect_uris</c>, <c>scopes</c> ...).</summary>
public sealed record OAuthClientUpdated(Guid Id, string ClientId, Guid OwnerId, IReadOnlyList<string> Changed, Guid ActorId) : IDomainEvent;

public sealed record OAuthClientDeleted(Guid Id, string ClientId, Guid OwnerId, Guid ActorId) : IDomainEvent;

/// <summary>A new secret (<see cref="SecretId"/>); the earlier ones stop at <see cref="PreviousSecretsExpireAt"/>.</summary>
public sealed record OAuthClientSecretRotated(
    Guid Id, string ClientId, Guid OwnerId, Guid SecretId, DateTimeOffset PreviousSecretsExpireAt, Guid ActorId) : IDomainEvent;

/// <summary>A user consented to <see cref="Scopes"/> (space separated) for the client, or widened an earlier consent.</summary>
public sealed record ConsentGranted(Guid GrantId, Guid UserId, string ClientId, string Scopes) : IDomainEvent;

public sealed record ConsentRevoked(Guid GrantId, Guid UserId, string ClientId) : IDomainEvent;

/// <summary>
/// An authorization code presented a second time (RFC 6749 4.1.2): what it issued
/// (<see cref="IssuedFamilyId"/>) must be revoked by the handler.
/// </summary>
public sealed record AuthorizationCodeReused(Guid CodeId, Guid UserId, string ClientId, Guid? IssuedFamilyId) : IDomainEvent;
