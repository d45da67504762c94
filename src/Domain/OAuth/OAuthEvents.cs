using AuthPlatform.Domain.Common;

namespace AuthPlatform.Domain.OAuth;

/// <summary><see cref="ClientId"/> is the public identifier (<c>oc_…</c>); <see cref="ActorId"/> who registered it (null, with no owner, for the server's built-in client).</summary>
public sealed record OAuthClientCreated(Guid Id, string ClientId, Guid? OwnerId, OAuthClientType Type, Guid? ActorId) : IDomainEvent;

/// <summary><see cref="Changed"/> lists the settings that changed, by their API names (<c>redirect_uris</c>, <c>scopes</c> ...).</summary>
public sealed record OAuthClientUpdated(Guid Id, string ClientId, Guid? OwnerId, IReadOnlyList<string> Changed, Guid? ActorId) : IDomainEvent;

public sealed record OAuthClientDeleted(Guid Id, string ClientId, Guid? OwnerId, Guid? ActorId) : IDomainEvent;

/// <summary>A new secret (<see cref="SecretId"/>); the earlier ones stop at <see cref="PreviousSecretsExpireAt"/>.</summary>
public sealed record OAuthClientSecretRotated(
    Guid Id, string ClientId, Guid? OwnerId, Guid SecretId, DateTimeOffset PreviousSecretsExpireAt, Guid ActorId) : IDomainEvent;

/// <summary>A user consented to <see cref="Scopes"/> (space separated) for the client, or widened an earlier consent.</summary>
public sealed record ConsentGranted(Guid GrantId, Guid UserId, string ClientId, string Scopes) : IDomainEvent;

public sealed record ConsentRevoked(Guid GrantId, Guid UserId, string ClientId) : IDomainEvent;

/// <summary>
/// An authorization code presented a second time (RFC 6749 4.1.2): what it issued
/// (<see cref="IssuedFamilyId"/>) must be revoked by the handler.
/// </summary>
public sealed record AuthorizationCodeReused(Guid CodeId, Guid UserId, string ClientId, Guid? IssuedFamilyId) : IDomainEvent;

/// <summary>Why a client failed to authenticate at the token endpoint (stable strings, in the audit trail).</summary>
public static class ClientAuthenticationFailures
{
    public const string UnknownClient = "unknown_client";
    public const string WrongSecret = "wrong_secret";
    public const string ExpiredSecret = "expired_secret";
    public const string NoSecret = "no_secret";
    public const string Malformed = "malformed";
    public const string Disabled = "owner_disabled";
}

/// <summary>
/// A client failed to authenticate at the token endpoint. No aggregate raises it (the client may not
/// exist): it is raised through the Application's event port. <see cref="UserId"/> is the owner of
/// the client when the client exists. Never carries the secret.
/// </summary>
public sealed record ClientAuthenticationFailed(string? ClientId, Guid? UserId, string Reason, string Method) : IDomainEvent;

/// <summary>An authenticated client asked for something it may not have (<c>invalid_scope</c>, <c>unauthorized_client</c>).</summary>
public sealed record TokenRequestRefused(string ClientId, Guid? UserId, string GrantType, string Error) : IDomainEvent;

/// <summary>
/// A client revoked one of its tokens at <c>/oauth/revoke</c> (RFC 7009). Raised through the
/// Application's event port (no aggregate holds access tokens). <see cref="TokenType"/> is
/// <c>access_token</c> (then <see cref="TokenId"/> is its <c>jti</c>, never the token, and
/// <see cref="ExpiresAt"/> its <c>exp</c>) or <c>refresh_token</c> (then <see cref="SessionId"/> is
/// the family that ended with it). <see cref="UserId"/> is null for a client's own token.
/// </summary>
public sealed record OAuthTokenRevoked(
    string ClientId, Guid? UserId, string TokenType, string? TokenId, Guid? SessionId, DateTimeOffset? ExpiresAt) : IDomainEvent;

/// <summary>A device asked for authorization (RFC 8628 3.1) for <see cref="Scopes"/> (space separated). Never carries the codes.</summary>
public sealed record DeviceAuthorizationRequested(Guid DeviceAuthorizationId, string ClientId, string Scopes) : IDomainEvent;

/// <summary>A signed-in person approved a device authorization on the verification page.</summary>
public sealed record DeviceAuthorizationApproved(Guid DeviceAuthorizationId, Guid UserId, string ClientId, string Scopes) : IDomainEvent;

/// <summary>A signed-in person denied a device authorization on the verification page.</summary>
public sealed record DeviceAuthorizationDenied(Guid DeviceAuthorizationId, Guid UserId, string ClientId) : IDomainEvent;

/// <summary>The device received its tokens for an approved device authorization.</summary>
public sealed record DeviceAuthorizationRedeemed(Guid DeviceAuthorizationId, Guid UserId, string ClientId) : IDomainEvent;

/// <summary>
/// A signed-in person entered a user code that matches no pending device authorization (or was
/// throttled: <see cref="Reason"/> is <c>unknown_or_expired</c> or <c>throttled</c>). Raised through
/// the Application's event port. Never carries the code.
/// </summary>
public sealed record DeviceUserCodeRejected(Guid UserId, string Reason) : IDomainEvent;
