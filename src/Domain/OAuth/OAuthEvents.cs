using AuthPlatform.Domain.Common;

namespace AuthPlatform.Domain.OAuth;

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
