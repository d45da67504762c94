using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Events;
using AuthPlatform.Domain.ApiKeys;
using AuthPlatform.Domain.Audit;
using AuthPlatform.Domain.Common;
using AuthPlatform.Domain.OAuth;
using AuthPlatform.Domain.ServiceAccounts;
using AuthPlatform.Domain.Sessions;
using AuthPlatform.Domain.Signing;
using AuthPlatform.Domain.Users;
using Mediator;

namespace AuthPlatform.Application.Audit.RecordAuditTrail;

/// <summary>
/// The audit trail (LOG-01) is a handler of the domain events: each event that an operator must
/// be able to trace becomes one row, written in the transaction of the change it records (a
/// token issuance, <see cref="IsIssuance"/>: with the batch of issued tokens after it), with
/// its details as a JSON object. Events not listed here are not audited.
/// </summary>
public sealed class AuditTrail(IAuditLog audit) : INotificationHandler<DomainEventNotification>
{
    public ValueTask Handle(DomainEventNotification notification, CancellationToken cancellationToken)
    {
        if (Describe(notification.Event) is not { } record)
        {
            return ValueTask.CompletedTask;
        }

        if (IsIssuance(notification.Event))
        {
            audit.RecordIssuance(record);
        }
        else
        {
            audit.Record(record);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Events that issue tokens: their rows are written in batches after the commit (<see cref="IAuditLog.RecordIssuance"/>).</summary>
    public static bool IsIssuance(IDomainEvent domainEvent) => domainEvent is TokenRefreshed;

    /// <summary>The audit row of an event, or null when it is not audited.</summary>
    public static AuditRecord? Describe(IDomainEvent domainEvent) => domainEvent switch
    {
        UserRegistered e => new(AuditEventTypes.UserRegistered, e.UserId),
        AdministratorBootstrapped e => new(AuditEventTypes.AdministratorBootstrapped, e.UserId),
        LoginFailed e => new(AuditEventTypes.LoginFailed, e.UserId, Fields(("reason", e.Reason))),
        SecondFactorFailed e => new(AuditEventTypes.MfaFailed, e.UserId, Fields(("reason", e.Reason))),
        AccountLocked e => new(AuditEventTypes.AccountLocked, e.UserId, Fields(("until", e.LockedUntil))),
        PasswordVerified e => new(AuditEventTypes.LoginPasswordVerified, e.UserId, Fields(("next", "2fa"))),
        LoginSucceeded e => new(
            AuditEventTypes.LoginSucceeded, e.UserId, Fields(("amr", e.AuthenticationMethods), ("recovery_code", e.WithRecoveryCode))),
        PasswordChanged e => new(AuditEventTypes.PasswordChanged, e.UserId),
        TwoFactorEnabled e => new(AuditEventTypes.MfaEnabled, e.UserId),
        TwoFactorDisabled e => new(AuditEventTypes.MfaDisabled, e.UserId),
        RecoveryCodeUsed e => new(AuditEventTypes.RecoveryCodeUsed, e.UserId, Fields(("left", e.RecoveryCodesLeft))),
        RecoveryCodesRegenerated e => new(AuditEventTypes.RecoveryCodesRegenerated, e.UserId),
        TokenRefreshed e => new(AuditEventTypes.TokenRefreshed, e.UserId, Fields(("session", e.SessionId))),
        RefreshTokenReuseDetected e => new(AuditEventTypes.RefreshTokenReused, e.UserId, Fields(("session", e.SessionId))),
        SessionRevoked { Reason: RevocationReasons.Logout } e => new(AuditEventTypes.Logout, e.UserId, Fields(("session", e.SessionId))),
        SessionRevoked e => new(AuditEventTypes.SessionRevoked, e.UserId, Fields(("session", e.SessionId), ("reason", e.Reason))),
        ApiKeyCreated { ServiceAccountId: { } account } e => new(
            AuditEventTypes.ApiKeyCreated, e.OwnerId, Fields(("api_key", e.KeyId), ("prefix", e.KeyPrefix), ("service_account", account))),
        ApiKeyCreated { CreatedByKeyId: { } creator } e => new(
            AuditEventTypes.ApiKeyCreated, e.OwnerId, Fields(("api_key", e.KeyId), ("prefix", e.KeyPrefix), ("created_by_key", creator))),
        ApiKeyCreated e => new(AuditEventTypes.ApiKeyCreated, e.OwnerId, Fields(("api_key", e.KeyId), ("prefix", e.KeyPrefix))),
        ApiKeyRotated e => new(
            AuditEventTypes.ApiKeyRotated, e.OwnerId, Fields(("api_key", e.KeyId), ("successor", e.SuccessorId), ("prefix", e.SuccessorPrefix))),
        ApiKeyRevoked { RevokedWithKeyId: { } creator } e => new(
            AuditEventTypes.ApiKeyRevoked, e.OwnerId, Fields(("api_key", e.KeyId), ("prefix", e.KeyPrefix), ("revoked_with_key", creator)), e.ActorId),
        ApiKeyRevoked e => new(AuditEventTypes.ApiKeyRevoked, e.OwnerId, Fields(("api_key", e.KeyId), ("prefix", e.KeyPrefix)), e.ActorId),
        ApiKeyDeleted e => new(AuditEventTypes.ApiKeyDeleted, e.OwnerId, Fields(("api_key", e.KeyId), ("prefix", e.KeyPrefix)), e.ActorId),
        SignedOutEverywhere e => new(AuditEventTypes.SessionsRevokedAll, e.UserId),
        UserDisabled e => new(AuditEventTypes.AccountDisabled, e.UserId, ActorId: e.ActorId),
        UserEnabled e => new(AuditEventTypes.AccountEnabled, e.UserId, ActorId: e.ActorId),
        AccountUnlocked e => new(AuditEventTypes.AccountUnlocked, e.UserId, ActorId: e.ActorId),
        UserRoleChanged e => new(
            AuditEventTypes.AccountRoleChanged, e.UserId, Fields(("from", UserResponse.RoleName(e.From)), ("to", UserResponse.RoleName(e.To))), e.ActorId),
        SigningKeyRotated e => new(AuditEventTypes.SigningKeyRotated, null, Fields(("kid", e.KeyId)), e.ActorId),
        OAuthClientCreated e => new(
            AuditEventTypes.OAuthClientCreated, e.OwnerId, Fields(("oauth_client", e.Id), ("type", e.Type.ToString().ToLowerInvariant())), e.ActorId, e.ClientId),
        OAuthClientUpdated e => new(
            AuditEventTypes.OAuthClientUpdated, e.OwnerId, Fields(("oauth_client", e.Id), ("changed", e.Changed)), e.ActorId, e.ClientId),
        OAuthClientDeleted e => new(AuditEventTypes.OAuthClientDeleted, e.OwnerId, Fields(("oauth_client", e.Id)), e.ActorId, e.ClientId),
        OAuthClientSecretRotated e => new(
            AuditEventTypes.OAuthClientSecretRotated,
            e.OwnerId,
            Fields(("oauth_client", e.Id), ("secret", e.SecretId), ("previous_secrets_expire_at", e.PreviousSecretsExpireAt)),
            e.ActorId,
            e.ClientId),
        ConsentGranted e => new(AuditEventTypes.ConsentGranted, e.UserId, Fields(("scopes", e.Scopes)), ClientId: e.ClientId),
        ConsentRevoked e => new(AuditEventTypes.ConsentRevoked, e.UserId, ClientId: e.ClientId),
        AuthorizationCodeReused e => new(
            AuditEventTypes.AuthorizationCodeReused, e.UserId, Fields(("code", e.CodeId), ("revoked_session", e.IssuedFamilyId)), ClientId: e.ClientId),
        DeviceAuthorizationRequested e => new(
            AuditEventTypes.DeviceAuthorizationRequested, null, Fields(("device_authorization", e.DeviceAuthorizationId), ("scopes", e.Scopes)), ClientId: e.ClientId),
        DeviceAuthorizationApproved e => new(
            AuditEventTypes.DeviceAuthorizationApproved, e.UserId, Fields(("device_authorization", e.DeviceAuthorizationId), ("scopes", e.Scopes)), ClientId: e.ClientId),
        DeviceAuthorizationDenied e => new(
            AuditEventTypes.DeviceAuthorizationDenied, e.UserId, Fields(("device_authorization", e.DeviceAuthorizationId)), ClientId: e.ClientId),
        DeviceAuthorizationRedeemed e => new(
            AuditEventTypes.DeviceAuthorizationRedeemed, e.UserId, Fields(("device_authorization", e.DeviceAuthorizationId)), ClientId: e.ClientId),
        DeviceUserCodeRejected e => new(AuditEventTypes.DeviceUserCodeRejected, e.UserId, Fields(("reason", e.Reason))),
        ServiceAccountCreated e => new(
            AuditEventTypes.ServiceAccountCreated, e.OwnerId, Fields(("service_account", e.ServiceAccountId), ("secret", e.SecretId)), ClientId: e.ClientId),
        ServiceAccountDeleted e => new(
            AuditEventTypes.ServiceAccountDeleted, e.OwnerId, Fields(("service_account", e.ServiceAccountId)), e.ActorId, e.ClientId),
        ServiceAccountSecretAdded e => new(
            AuditEventTypes.ServiceAccountSecretAdded, e.OwnerId, Fields(("service_account", e.ServiceAccountId), ("secret", e.SecretId)), e.ActorId, e.ClientId),
        ServiceAccountSecretDeleted e => new(
            AuditEventTypes.ServiceAccountSecretDeleted, e.OwnerId, Fields(("service_account", e.ServiceAccountId), ("secret", e.SecretId)), e.ActorId, e.ClientId),
        ClientAuthenticationFailed e => new(
            AuditEventTypes.OAuthClientAuthenticationFailed, e.UserId, Fields(("reason", e.Reason), ("method", e.Method)), ClientId: e.ClientId),
        TokenRequestRefused e => new(
            AuditEventTypes.OAuthTokenRefused, e.UserId, Fields(("grant_type", e.GrantType), ("error", e.Error)), ClientId: e.ClientId),
        OAuthTokenRevoked e => new(
            AuditEventTypes.OAuthTokenRevoked, e.UserId, Fields(("token_type", e.TokenType), ("jti", e.TokenId), ("session", e.SessionId)), ClientId: e.ClientId),
        _ => null,
    };

    private static Dictionary<string, object?> Fields(params (string Name, object? Value)[] fields) =>
        fields.ToDictionary(f => f.Name, f => f.Value, StringComparer.Ordinal);
}
