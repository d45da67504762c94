using AuthPlatform.Domain.Common;

namespace AuthPlatform.Domain.Audit;

/// <summary>One entry of the audit trail (LOG-01): what happened, to whom, by whom, from where.</summary>
public sealed class AuditEvent
{
    private AuditEvent()
    {
    }

    public Guid Id { get; private set; }

    public DateTimeOffset OccurredAt { get; private set; }

    public string Type { get; private set; } = string.Empty;

    /// <summary>The account the event concerns, when known.</summary>
    public Guid? UserId { get; private set; }

    /// <summary>Who acted (the same as <see cref="UserId"/> unless an administrator acted).</summary>
    public Guid? ActorId { get; private set; }

    public string? IpAddress { get; private set; }

    public string? UserAgent { get; private set; }

    public string? ClientId { get; private set; }

    public const int MaxDetailsLength = 2048;

    /// <summary>Non-secret details as a JSON object (ids, reasons). Never a credential.</summary>
    public string? Details { get; private set; }

    public static AuditEvent Record(
        Guid id,
        string type,
        DateTimeOffset now,
        Guid? userId,
        Guid? actorId,
        string? ipAddress,
        string? userAgent,
        string? clientId,
        string? details)
    {
        Guard.Utc(now, nameof(now));
        return new AuditEvent
        {
            Id = id,
            Type = Guard.NotBlank(type, nameof(type), 64),
            OccurredAt = now,
            UserId = userId,
            ActorId = actorId,
            IpAddress = Clip(ipAddress, 64),
            UserAgent = Clip(userAgent, 512),
            ClientId = Clip(clientId, 128),
            Details = details is null ? null : Guard.NotBlank(details, nameof(details), MaxDetailsLength),
        };
    }

    private static string? Clip(string? value, int max) =>
        value is null ? null : value.Length <= max ? value : value[..max];
}

/// <summary>The audit event types; stable strings, filterable by type.</summary>
public static class AuditEventTypes
{
    public const string UserRegistered = "user.registered";
    public const string LoginSucceeded = "login.succeeded";
    public const string LoginFailed = "login.failed";
    public const string LoginPasswordVerified = "login.password_verified";
    public const string AccountLocked = "account.locked";
    public const string TokenRefreshed = "token.refreshed";
    public const string RefreshTokenReused = "refresh_token.reused";
    public const string SessionRevoked = "session.revoked";
    public const string Logout = "logout";
    public const string PasswordChanged = "password.changed";
    public const string SigningKeyRotated = "signing_key.rotated";
    public const string AdministratorBootstrapped = "admin.bootstrapped";
    public const string ApiKeyCreated = "api_key.created";
    public const string ApiKeyRotated = "api_key.rotated";
    public const string ApiKeyRevoked = "api_key.revoked";
    public const string ApiKeyDeleted = "api_key.deleted";
    public const string MfaEnabled = "mfa.enabled";
    public const string MfaDisabled = "mfa.disabled";
    public const string MfaFailed = "mfa.failed";
    public const string RecoveryCodeUsed = "mfa.recovery_code_used";
    public const string RecoveryCodesRegenerated = "mfa.recovery_codes_regenerated";
    public const string SessionsRevokedAll = "sessions.revoked_all";
    public const string AccountDisabled = "account.disabled";
    public const string AccountEnabled = "account.enabled";
    public const string AccountUnlocked = "account.unlocked";
    public const string AccountRoleChanged = "account.role_changed";
    public const string OAuthClientCreated = "oauth_client.created";
    public const string OAuthClientUpdated = "oauth_client.updated";
    public const string OAuthClientDeleted = "oauth_client.deleted";
    public const string OAuthClientSecretRotated = "oauth_client.secret_rotated";
    public const string ConsentGranted = "oauth.consent_granted";
    public const string ConsentRevoked = "oauth.consent_revoked";
    public const string AuthorizationCodeReused = "oauth.code_reused";
    public const string DeviceAuthorizationRequested = "oauth.device_requested";
    public const string DeviceAuthorizationApproved = "oauth.device_approved";
    public const string DeviceAuthorizationDenied = "oauth.device_denied";
    public const string DeviceAuthorizationRedeemed = "oauth.device_redeemed";
    public const string DeviceUserCodeRejected = "oauth.device_user_code_rejected";
    public const string ServiceAccountCreated = "service_account.created";
    public const string ServiceAccountDeleted = "service_account.deleted";
    public const string ServiceAccountSecretAdded = "service_account.secret_added";
    public const string ServiceAccountSecretDeleted = "service_account.secret_deleted";
    public const string OAuthTokenIssued = "oauth.token_issued";
    public const string OAuthTokenRefused = "oauth.token_refused";
    public const string OAuthClientAuthenticationFailed = "oauth.client_authentication_failed";
    public const string OAuthTokenRevoked = "oauth.token_revoked";
}
