using AuthPlatform.Application.ApiKeys.Common;
using AuthPlatform.Application.ApiKeys.CreateApiKey;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.UnitTests.TestSupport;
using AuthPlatform.Domain.Audit;
using AuthPlatform.Domain.Users;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.ApiKeys;

public sealed class CreateApiKeyHandlerTests
{
    private const string Secret = "ap_0123456789abcdefghijABCDEFGHIJ0123456789xyzAB12345";
    private static readonly GeneratedApiKey Generated = new(Secret, "ap_01234567", "sha256-of-the-whole-key");
    private static readonly string[] UserScopes = ["profile", "api_keys:read", "api_keys:write", "models.read"];

    private readonly Ports _ports = new();

    public CreateApiKeyHandlerTests() => _ports.ApiKeyGenerator.Generate().Returns(Generated);

    private CreateApiKeyHandler Handler() =>
        new(_ports.ApiKeys, _ports.Callers, _ports.StepUp, _ports.ApiKeyGenerator, _ports.Mapper, _ports.Clock);

    private static CallerIdentity Caller(User user, IReadOnlyList<string>? scopes = null, IReadOnlyList<string>? amr = null, DateTimeOffset? authenticatedAt = null) =>
        new(user.Id.ToString(), user.Id, AuthMethods.Jwt, scopes ?? UserScopes, AuthenticationMethods: amr ?? ["pwd"], AuthenticatedAt: authenticatedAt);

    private Task<Result<ApiKeyCreatedResponse>> Create(
        CallerIdentity caller, IReadOnlyList<string>? permissions = null, DateTimeOffset? expiresAt = null, string? stepUpCode = null) =>
        Handler().Handle(new CreateApiKeyCommand(caller, "ci key", permissions ?? ["models.read", "profile"], expiresAt, stepUpCode), CancellationToken.None).AsTask();

    [Fact]
    public async Task Handle_PermissionTheCallerLacks_RefusesInsufficientScopeAndAddsNothing()
    {
        var user = _ports.NewUser();

        var result = await Create(Caller(user, scopes: ["profile", "api_keys:write"]), permissions: ["profile", "models.read"]);

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorCodes.InsufficientScope, result.Error!.Code);
        Assert.Contains("models.read", result.Error.Message);
        Assert.False(result.KeepsChanges);
        _ports.ApiKeys.DidNotReceiveWithAnyArgs().Add(default!);
        _ports.ApiKeyGenerator.DidNotReceive().Generate();
        Assert.Empty(_ports.AuditCalls());
    }

    [Fact]
    public async Task Handle_AdminPermissionForUserCaller_RefusesInsufficientScope()
    {
        var user = _ports.NewUser();

        var result = await Create(Caller(user), permissions: ["admin"]);

        Assert.Equal(ErrorCodes.InsufficientScope, result.Error!.Code);
        _ports.ApiKeys.DidNotReceiveWithAnyArgs().Add(default!);
    }

    [Fact]
    public async Task Handle_CallerWithoutUser_RefusesForbidden()
    {
        var caller = new CallerIdentity("client-1", null, AuthMethods.OAuth, UserScopes, ClientId: "client-1");

        var result = await Create(caller);

        Assert.Equal(ErrorCodes.Forbidden, result.Error!.Code);
        _ports.ApiKeys.DidNotReceiveWithAnyArgs().Add(default!);
    }

    [Fact]
    public async Task Handle_UnknownUser_RefusesForbidden()
    {
        var result = await Create(new CallerIdentity("x", Guid.NewGuid(), AuthMethods.Jwt, UserScopes));

        Assert.Equal(ErrorCodes.Forbidden, result.Error!.Code);
        _ports.ApiKeys.DidNotReceiveWithAnyArgs().Add(default!);
    }

    [Fact]
    public async Task Handle_TwoFactorOwnerWithoutFreshOtp_RefusesMfaRequiredAndAddsNothing()
    {
        var user = _ports.TwoFactorUser();

        var result = await Create(Caller(user, amr: ["pwd"], authenticatedAt: _ports.Clock.GetUtcNow()));

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorCodes.MfaRequired, result.Error!.Code);
        Assert.False(result.KeepsChanges);
        _ports.ApiKeys.DidNotReceiveWithAnyArgs().Add(default!);
        _ports.ApiKeyGenerator.DidNotReceive().Generate();
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type == AuditEventTypes.ApiKeyCreated);
    }

    [Fact]
    public async Task Handle_TwoFactorOwnerWithStaleOtpSession_RefusesMfaRequired()
    {
        var user = _ports.TwoFactorUser();
        var caller = Caller(user, amr: ["pwd", "otp"], authenticatedAt: _ports.Clock.GetUtcNow());
        _ports.Clock.Advance(TimeSpan.FromMinutes(11));

        var result = await Create(caller);

        Assert.Equal(ErrorCodes.MfaRequired, result.Error!.Code);
        _ports.ApiKeys.DidNotReceiveWithAnyArgs().Add(default!);
    }

    [Fact]
    public async Task Handle_TwoFactorOwnerWithWrongHeaderCode_RefusesInvalidMfaCodeKeepingTheFailure()
    {
        var user = _ports.TwoFactorUser();

        var result = await Create(Caller(user), stepUpCode: "000000");

        Assert.Equal(ErrorCodes.InvalidMfaCode, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        await _ports.FailureCountedAsync(user, times: 1);
        Assert.Equal("step_up", _ports.SingleAudit(AuditEventTypes.MfaFailed).Details!["reason"]);
        _ports.ApiKeys.DidNotReceiveWithAnyArgs().Add(default!);
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type == AuditEventTypes.ApiKeyCreated);
    }

    [Fact]
    public async Task Handle_TwoFactorOwnerWithValidHeaderCode_CreatesKey()
    {
        var user = _ports.TwoFactorUser();
        _ports.TotpCode("123456", Ports.StartStep);

        var result = await Create(Caller(user), stepUpCode: " 123456 ");

        Assert.True(result.IsSuccess);
        Assert.Single(_ports.AddedKeys());
        await _ports.SecondFactorStore.Received(1).TryAdvanceTotpStepAsync(user.Id, Ports.StartStep, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Handle_ValidHeaderCodeButAPermissionTheCallerLacks_RefusesWithoutSpendingTheCode()
    {
        // Step-up comes last: a code it accepts is spent, so no other check may fail after it.
        var user = _ports.TwoFactorUser();
        _ports.TotpCode("123456", Ports.StartStep);

        var result = await Create(Caller(user, scopes: ["profile"]), permissions: ["models.read"], stepUpCode: "123456");

        Assert.Equal(ErrorCodes.InsufficientScope, result.Error!.Code);
        await _ports.SecondFactorStore.DidNotReceiveWithAnyArgs().TryAdvanceTotpStepAsync(default, default, default);
        _ports.Totp.DidNotReceiveWithAnyArgs().Match(default!, default!, default);
    }

    [Fact]
    public async Task Handle_TwoFactorOwnerWithFreshOtpSession_CreatesKey()
    {
        var user = _ports.TwoFactorUser();
        var caller = Caller(user, amr: ["pwd", "otp"], authenticatedAt: _ports.Clock.GetUtcNow());
        _ports.Clock.Advance(TimeSpan.FromMinutes(9));

        var result = await Create(caller);

        Assert.True(result.IsSuccess);
        Assert.Single(_ports.AddedKeys());
    }

    [Fact]
    public async Task Handle_Success_AddsKeyWithGeneratedHashPrefixAndPermissions()
    {
        var user = _ports.NewUser();
        var expiry = _ports.Clock.GetUtcNow().AddDays(30);

        var result = await Create(Caller(user), permissions: ["models.read", "profile"], expiresAt: expiry);

        Assert.True(result.IsSuccess);
        var added = Assert.Single(_ports.AddedKeys());
        Assert.Equal(user.Id, added.OwnerId);
        Assert.Equal("ci key", added.Name);
        Assert.Equal(Generated.Hash, added.KeyHash);
        Assert.Equal(Generated.Prefix, added.KeyPrefix);
        Assert.Equal(["models.read", "profile"], added.Permissions);
        Assert.Equal(expiry, added.ExpiresAt);
        Assert.Equal(_ports.Clock.GetUtcNow(), added.CreatedAt);
        Assert.DoesNotContain(Secret, added.KeyHash, StringComparison.Ordinal);
        _ports.ApiKeyGenerator.Received(1).Generate();
    }

    [Fact]
    public async Task Handle_Success_AnswerCarriesTheSecretAndTheKeysFields()
    {
        var user = _ports.NewUser();

        var result = await Create(Caller(user));

        var answer = result.Value;
        var added = Assert.Single(_ports.AddedKeys());
        Assert.Equal(Secret, answer.Key);
        Assert.Equal(added.Id, answer.Id);
        Assert.Equal(Generated.Prefix, answer.KeyPrefix);
        Assert.Equal("ci key", answer.Name);
        Assert.Equal(["models.read", "profile"], answer.Permissions);
        Assert.Null(answer.ExpiresAt);
        Assert.Equal(_ports.Clock.GetUtcNow(), answer.CreatedAt);
    }

    [Fact]
    public async Task Handle_Success_AuditsCreatedWithoutTheSecret()
    {
        var user = _ports.NewUser();

        await Create(Caller(user));

        var added = Assert.Single(_ports.AddedKeys());
        var audit = _ports.SingleAudit(AuditEventTypes.ApiKeyCreated);
        Assert.Equal(user.Id, audit.UserId);
        Assert.Equal(added.Id, audit.Details!["api_key"]);
        Assert.Equal(Generated.Prefix, audit.Details["prefix"]);
        Assert.All(Ports.DetailValues(audit), value =>
        {
            Assert.DoesNotContain(Secret, value, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret[Generated.Prefix.Length..], value, StringComparison.Ordinal);
            Assert.DoesNotContain(Generated.Hash, value, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Handle_TwoCreations_IssueDistinctIds()
    {
        var user = _ports.NewUser();

        await Create(Caller(user));
        await Create(Caller(user));

        var added = _ports.AddedKeys();
        Assert.Equal(2, added.Count);
        Assert.NotEqual(added[0].Id, added[1].Id);
    }
}
