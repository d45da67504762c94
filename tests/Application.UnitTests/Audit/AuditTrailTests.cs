using AuthPlatform.Application.Audit;
using AuthPlatform.Application.Audit.RecordAuditTrail;
using AuthPlatform.Application.Common.Events;
using AuthPlatform.Domain.ApiKeys;
using AuthPlatform.Domain.Audit;
using AuthPlatform.Domain.Common;
using AuthPlatform.Domain.Sessions;
using AuthPlatform.Domain.Signing;
using AuthPlatform.Domain.Users;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.Audit;

public sealed class AuditTrailTests
{
    private static readonly Guid UserId = Guid.NewGuid();
    private static readonly Guid ActorId = Guid.NewGuid();
    private static readonly Guid KeyId = Guid.NewGuid();
    private static readonly Guid SessionId = Guid.NewGuid();

    /// <summary>An event the audit trail does not know.</summary>
    private sealed record SomethingUnaudited(Guid UserId) : IDomainEvent;

    private static AuditRecord Described(IDomainEvent domainEvent, string type, Guid? userId, Guid? actorId = null)
    {
        var record = AuditTrail.Describe(domainEvent);

        Assert.NotNull(record);
        Assert.Equal(type, record.Type);
        Assert.Equal(userId, record.UserId);
        Assert.Equal(actorId, record.ActorId);
        Assert.Null(record.ClientId);
        return record;
    }

    private static void HasDetails(AuditRecord record, params (string Name, object? Value)[] expected)
    {
        Assert.NotNull(record.Details);
        Assert.Equal(expected.Select(e => e.Name).Order(StringComparer.Ordinal), record.Details.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, value) in expected)
        {
            Assert.Equal(value, record.Details[name]);
        }
    }

    private static void HasNoDetails(AuditRecord record) => Assert.True(record.Details is null or { Count: 0 });

    [Fact]
    public void Describe_UserRegistered_IsUserRegisteredWithoutTheEmail()
    {
        var record = Described(new UserRegistered(UserId, "alice@example.com", "Alice"), AuditEventTypes.UserRegistered, UserId);

        HasNoDetails(record);
    }

    [Fact]
    public void Describe_AdministratorBootstrapped_IsAdminBootstrapped()
    {
        HasNoDetails(Described(new AdministratorBootstrapped(UserId, "root@example.com"), AuditEventTypes.AdministratorBootstrapped, UserId));
    }

    [Fact]
    public void Describe_LoginFailed_IsLoginFailedWithTheReason()
    {
        HasDetails(Described(new LoginFailed(UserId, FailureReasons.WrongPassword), AuditEventTypes.LoginFailed, UserId), ("reason", "wrong_password"));
    }

    [Fact]
    public void Describe_LoginFailedForUnknownAccount_HasNoUser()
    {
        HasDetails(Described(new LoginFailed(null, FailureReasons.UnknownAccount), AuditEventTypes.LoginFailed, null), ("reason", "unknown_account"));
    }

    [Fact]
    public void Describe_SecondFactorFailed_IsMfaFailedWithTheReason()
    {
        HasDetails(Described(new SecondFactorFailed(UserId, "login"), AuditEventTypes.MfaFailed, UserId), ("reason", "login"));
    }

    [Fact]
    public void Describe_AccountLocked_IsAccountLockedUntilTheTime()
    {
        var until = new DateTimeOffset(2026, 3, 1, 12, 15, 0, TimeSpan.Zero);

        HasDetails(Described(new AccountLocked(UserId, until), AuditEventTypes.AccountLocked, UserId), ("until", until));
    }

    [Fact]
    public void Describe_PasswordVerified_IsPasswordVerifiedWithTheNextStep()
    {
        HasDetails(Described(new PasswordVerified(UserId), AuditEventTypes.LoginPasswordVerified, UserId), ("next", "2fa"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Describe_LoginSucceeded_IsLoginSucceededWithTheMethodsAndWhetherARecoveryCodeWasUsed(bool withRecoveryCode)
    {
        var record = Described(new LoginSucceeded(UserId, ["pwd", "otp"], withRecoveryCode), AuditEventTypes.LoginSucceeded, UserId);

        Assert.Equal(["amr", "recovery_code"], record.Details!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["pwd", "otp"], Assert.IsAssignableFrom<IEnumerable<string>>(record.Details["amr"]));
        Assert.Equal(withRecoveryCode, Assert.IsType<bool>(record.Details["recovery_code"]));
    }

    [Fact]
    public void Describe_PasswordChanged_IsPasswordChanged()
    {
        HasNoDetails(Described(new PasswordChanged(UserId), AuditEventTypes.PasswordChanged, UserId));
    }

    [Fact]
    public void Describe_TwoFactorEnabledAndDisabled_AreMfaEnabledAndDisabled()
    {
        HasNoDetails(Described(new TwoFactorEnabled(UserId), AuditEventTypes.MfaEnabled, UserId));
        HasNoDetails(Described(new TwoFactorDisabled(UserId), AuditEventTypes.MfaDisabled, UserId));
    }

    [Fact]
    public void Describe_RecoveryCodeUsed_IsRecoveryCodeUsedWithTheCodesLeft()
    {
        HasDetails(Described(new RecoveryCodeUsed(UserId, 7), AuditEventTypes.RecoveryCodeUsed, UserId), ("left", 7));
    }

    [Fact]
    public void Describe_RecoveryCodesRegenerated_IsRecoveryCodesRegenerated()
    {
        HasNoDetails(Described(new RecoveryCodesRegenerated(UserId), AuditEventTypes.RecoveryCodesRegenerated, UserId));
    }

    [Fact]
    public void Describe_TokenRefreshed_IsTokenRefreshedWithTheSession()
    {
        HasDetails(Described(new TokenRefreshed(UserId, SessionId), AuditEventTypes.TokenRefreshed, UserId), ("session", SessionId));
    }

    [Fact]
    public void Describe_RefreshTokenReuseDetected_IsRefreshTokenReusedWithTheSession()
    {
        HasDetails(Described(new RefreshTokenReuseDetected(UserId, SessionId), AuditEventTypes.RefreshTokenReused, UserId), ("session", SessionId));
    }

    [Fact]
    public void Describe_SessionRevokedByLogout_IsLogoutWithTheSession()
    {
        HasDetails(Described(new SessionRevoked(UserId, SessionId, RevocationReasons.Logout), AuditEventTypes.Logout, UserId), ("session", SessionId));
    }

    [Theory]
    [InlineData(RevocationReasons.RevokedByUser)]
    [InlineData(RevocationReasons.PasswordChanged)]
    [InlineData(RevocationReasons.Reuse)]
    public void Describe_SessionRevokedForAnotherReason_IsSessionRevokedWithTheSessionAndReason(string reason)
    {
        HasDetails(
            Described(new SessionRevoked(UserId, SessionId, reason), AuditEventTypes.SessionRevoked, UserId),
            ("session", SessionId), ("reason", reason));
    }

    [Fact]
    public void Describe_ApiKeyCreated_IsApiKeyCreatedWithTheKeyAndPrefix()
    {
        HasDetails(
            Described(new ApiKeyCreated(KeyId, UserId, "ap_AbCdEfGh"), AuditEventTypes.ApiKeyCreated, UserId),
            ("api_key", KeyId), ("prefix", "ap_AbCdEfGh"));
    }

    [Fact]
    public void Describe_ApiKeyRotated_IsApiKeyRotatedWithTheSuccessorAndItsPrefixButNotTheHash()
    {
        var successor = Guid.NewGuid();

        var record = Described(new ApiKeyRotated(KeyId, UserId, successor, "ap_ZyXwVuTs", "sha:old"), AuditEventTypes.ApiKeyRotated, UserId);

        HasDetails(record, ("api_key", KeyId), ("successor", successor), ("prefix", "ap_ZyXwVuTs"));
    }

    [Fact]
    public void Describe_ApiKeyRevoked_IsApiKeyRevokedByTheActorWithoutTheHash()
    {
        var record = Described(new ApiKeyRevoked(KeyId, UserId, "ap_AbCdEfGh", ActorId, "sha:key"), AuditEventTypes.ApiKeyRevoked, UserId, ActorId);

        HasDetails(record, ("api_key", KeyId), ("prefix", "ap_AbCdEfGh"));
    }

    [Fact]
    public void Describe_ApiKeyCreatedWithAKey_AlsoNamesTheCreatingKey()
    {
        var creator = Guid.NewGuid();

        HasDetails(
            Described(new ApiKeyCreated(KeyId, UserId, "ap_AbCdEfGh", creator), AuditEventTypes.ApiKeyCreated, UserId),
            ("api_key", KeyId), ("prefix", "ap_AbCdEfGh"), ("created_by_key", creator));
    }

    [Fact]
    public void Describe_ApiKeyRevokedWithItsCreator_AlsoNamesTheCreatingKey()
    {
        var creator = Guid.NewGuid();

        var record = Described(new ApiKeyRevoked(KeyId, UserId, "ap_AbCdEfGh", ActorId, "sha:key", creator), AuditEventTypes.ApiKeyRevoked, UserId, ActorId);

        HasDetails(record, ("api_key", KeyId), ("prefix", "ap_AbCdEfGh"), ("revoked_with_key", creator));
    }

    [Fact]
    public void Describe_ApiKeyDeleted_IsApiKeyDeletedByTheActorWithoutTheHash()
    {
        var record = Described(new ApiKeyDeleted(KeyId, UserId, "ap_AbCdEfGh", ActorId, "sha:key"), AuditEventTypes.ApiKeyDeleted, UserId, ActorId);

        HasDetails(record, ("api_key", KeyId), ("prefix", "ap_AbCdEfGh"));
    }

    [Fact]
    public void Describe_SigningKeyRotated_IsSigningKeyRotatedByTheAdministratorForNoUser()
    {
        HasDetails(Described(new SigningKeyRotated("kid-2026-03", ActorId), AuditEventTypes.SigningKeyRotated, null, ActorId), ("kid", "kid-2026-03"));
    }

    [Fact]
    public void Describe_UserRoleChanged_IsAccountRoleChangedFromToByTheAdministrator()
    {
        HasDetails(
            Described(new UserRoleChanged(UserId, ActorId, UserRole.Admin, UserRole.User), AuditEventTypes.AccountRoleChanged, UserId, ActorId),
            ("from", "admin"), ("to", "user"));
    }

    [Fact]
    public void Describe_UnauditedEvent_IsNull()
    {
        Assert.Null(AuditTrail.Describe(new SomethingUnaudited(UserId)));
    }

    [Fact]
    public async Task Handle_AuditedEvent_RecordsItsRow()
    {
        var log = Substitute.For<IAuditLog>();

        await new AuditTrail(log).Handle(new DomainEventNotification(new PasswordChanged(UserId)), CancellationToken.None);

        log.Received(1).Record(Arg.Is<AuditRecord>(r => r.Type == AuditEventTypes.PasswordChanged && r.UserId == UserId));
    }

    [Fact]
    public async Task Handle_TokenRefreshed_IsRecordedAsAnIssuanceOutsideTheTransaction()
    {
        var log = Substitute.For<IAuditLog>();

        await new AuditTrail(log).Handle(new DomainEventNotification(new TokenRefreshed(UserId, SessionId)), CancellationToken.None);

        log.Received(1).RecordIssuance(Arg.Is<AuditRecord>(r => r.Type == AuditEventTypes.TokenRefreshed && r.UserId == UserId));
        log.DidNotReceiveWithAnyArgs().Record(default!);
    }

    [Fact]
    public async Task Handle_UnauditedEvent_RecordsNothing()
    {
        var log = Substitute.For<IAuditLog>();

        await new AuditTrail(log).Handle(new DomainEventNotification(new SomethingUnaudited(UserId)), CancellationToken.None);

        log.DidNotReceiveWithAnyArgs().Record(default!);
        log.DidNotReceiveWithAnyArgs().RecordIssuance(default!);
    }

    [Fact]
    public void Describe_OAuthClientEvents_AreAuditedWithTheClientIdAndTheActor()
    {
        var id = Guid.NewGuid();
        var admin = Guid.NewGuid();
        const string client = "oc_0123456789abcdefghijABCDEFGHIJ01";

        var created = AuditTrail.Describe(new Domain.OAuth.OAuthClientCreated(id, client, UserId, Domain.OAuth.OAuthClientType.Public, UserId))!;
        var updated = AuditTrail.Describe(new Domain.OAuth.OAuthClientUpdated(id, client, UserId, ["scopes"], admin))!;
        var deleted = AuditTrail.Describe(new Domain.OAuth.OAuthClientDeleted(id, client, UserId, admin))!;
        var rotated = AuditTrail.Describe(new Domain.OAuth.OAuthClientSecretRotated(id, client, UserId, Guid.NewGuid(), DateTimeOffset.UnixEpoch, UserId))!;
        var reused = AuditTrail.Describe(new Domain.OAuth.AuthorizationCodeReused(id, UserId, client, null))!;
        var consent = AuditTrail.Describe(new Domain.OAuth.ConsentGranted(id, UserId, client, "openid"))!;
        var revoked = AuditTrail.Describe(new Domain.OAuth.ConsentRevoked(id, UserId, client))!;

        Assert.Equal(
            [AuditEventTypes.OAuthClientCreated, AuditEventTypes.OAuthClientUpdated, AuditEventTypes.OAuthClientDeleted, AuditEventTypes.OAuthClientSecretRotated,
                AuditEventTypes.AuthorizationCodeReused, AuditEventTypes.ConsentGranted, AuditEventTypes.ConsentRevoked],
            new[] { created, updated, deleted, rotated, reused, consent, revoked }.Select(r => r.Type));
        Assert.All(new[] { created, updated, deleted, rotated, reused, consent, revoked }, r => Assert.Equal(client, r.ClientId));
        Assert.All(new[] { created, updated, deleted, rotated, reused, consent, revoked }, r => Assert.Equal(UserId, r.UserId));
        Assert.Equal(admin, updated.ActorId);
        Assert.Equal(admin, deleted.ActorId);
        Assert.Equal("public", created.Details!["type"]);
        Assert.Equal(new[] { "scopes" }, updated.Details!["changed"]);
    }

    [Fact]
    public void Describe_OAuthTokenRevoked_IsTokenRevokedWithItsTypeAndIdButNeverTheToken()
    {
        const string client = "oc_abcdefghijklmnopqrstuvwxyz012345";
        var session = Guid.NewGuid();

        var access = AuditTrail.Describe(new Domain.OAuth.OAuthTokenRevoked(client, UserId, "access_token", "5f0c1d", null, DateTimeOffset.UnixEpoch))!;
        var refresh = AuditTrail.Describe(new Domain.OAuth.OAuthTokenRevoked(client, UserId, "refresh_token", null, session, null))!;

        Assert.Equal(AuditEventTypes.OAuthTokenRevoked, access.Type);
        Assert.Equal(client, access.ClientId);
        Assert.Equal(UserId, access.UserId);
        Assert.Equal("access_token", access.Details!["token_type"]);
        Assert.Equal("5f0c1d", access.Details["jti"]);
        Assert.Equal("refresh_token", refresh.Details!["token_type"]);
        Assert.Equal(session, refresh.Details["session"]);
    }
}
