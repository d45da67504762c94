using AuthPlatform.Application.ApiKeys.Common;
using AuthPlatform.Application.ApiKeys.RotateApiKey;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.UnitTests.TestSupport;
using AuthPlatform.Domain.Audit;
using AuthPlatform.Domain.Users;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.ApiKeys;

public sealed class RotateApiKeyHandlerTests
{
    private const string NewSecret = "ap_NEWNEWNEWNEWNEWNEWNEWNEWNEWNEWNEWNEWNEWNEWNEW123456";
    private static readonly GeneratedApiKey Generated = new(NewSecret, "ap_NEWNEWNE", "sha:new-key");
    private static readonly string[] UserScopes = ["profile", "api_keys:read", "api_keys:write", "models.read"];

    private readonly Ports _ports = new();

    public RotateApiKeyHandlerTests() => _ports.ApiKeyGenerator.Generate().Returns(Generated);

    private static CallerIdentity Caller(User user, IReadOnlyList<string>? amr = null, DateTimeOffset? authenticatedAt = null) =>
        new(user.Id.ToString(), user.Id, AuthMethods.Jwt, UserScopes, AuthenticationMethods: amr ?? ["pwd"], AuthenticatedAt: authenticatedAt);

    private Task<Result<ApiKeyCreatedResponse>> Rotate(CallerIdentity caller, Guid id, string? stepUpCode = null) =>
        new RotateApiKeyHandler(_ports.ApiKeys, _ports.Lineage, _ports.Callers, _ports.StepUp, _ports.ApiKeyGenerator, _ports.Mapper, _ports.Clock)
            .Handle(new RotateApiKeyCommand(caller, id, stepUpCode), CancellationToken.None).AsTask();

    [Fact]
    public async Task Handle_RevokedKey_AnswersConflictAndIssuesNothing()
    {
        var user = _ports.NewUser();
        var key = _ports.StoredKey(user.Id, hash: "sha:old-key");
        key.Revoke(_ports.Clock.GetUtcNow(), user.Id);
        _ports.ForgetEvents(); // that revocation was saved earlier

        var result = await Rotate(Caller(user), key.Id);

        Assert.Equal(ErrorCodes.Conflict, result.Error!.Code);
        Assert.False(result.KeepsChanges);
        _ports.ApiKeys.DidNotReceiveWithAnyArgs().Add(default!);
        _ports.ApiKeyGenerator.DidNotReceive().Generate();
        Assert.Null(key.ReplacedById);
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type == AuditEventTypes.ApiKeyRotated);
    }

    [Fact]
    public async Task Handle_ExpiredKey_AnswersConflictAndLeavesItUnrevoked()
    {
        var user = _ports.NewUser();
        var key = _ports.StoredKey(user.Id, expiresAt: _ports.Clock.GetUtcNow().AddHours(1));
        _ports.Clock.Advance(TimeSpan.FromHours(1));

        var result = await Rotate(Caller(user), key.Id);

        Assert.Equal(ErrorCodes.Conflict, result.Error!.Code);
        Assert.Null(key.RevokedAt);
        _ports.ApiKeys.DidNotReceiveWithAnyArgs().Add(default!);
    }

    [Fact]
    public async Task Handle_KeyOfAnotherUser_AnswersNotFoundAndLeavesItActive()
    {
        var user = _ports.NewUser();
        var key = _ports.StoredKey(Guid.NewGuid());

        var result = await Rotate(Caller(user), key.Id);

        Assert.Equal(ErrorCodes.NotFound, result.Error!.Code);
        Assert.Null(key.RevokedAt);
        _ports.ApiKeys.DidNotReceiveWithAnyArgs().Add(default!);
    }

    [Fact]
    public async Task Handle_UnknownKey_AnswersNotFound()
    {
        var user = _ports.NewUser();

        var result = await Rotate(Caller(user), Guid.NewGuid());

        Assert.Equal(ErrorCodes.NotFound, result.Error!.Code);
    }

    [Fact]
    public async Task Handle_ActiveKey_AddsSuccessorAndRevokesOldOne()
    {
        var user = _ports.NewUser();
        var expiry = _ports.Clock.GetUtcNow().AddDays(10);
        var key = _ports.StoredKey(user.Id, permissions: ["models.read", "profile"], expiresAt: expiry, hash: "sha:old-key");
        _ports.Clock.Advance(TimeSpan.FromMinutes(5));

        var result = await Rotate(Caller(user), key.Id);

        Assert.True(result.IsSuccess);
        var successor = Assert.Single(_ports.AddedKeys());
        Assert.NotEqual(key.Id, successor.Id);
        Assert.Equal(user.Id, successor.OwnerId);
        Assert.Equal(key.Name, successor.Name);
        Assert.Equal(["models.read", "profile"], successor.Permissions);
        Assert.Equal(expiry, successor.ExpiresAt);
        Assert.Equal(Generated.Hash, successor.KeyHash);
        Assert.Equal(Generated.Prefix, successor.KeyPrefix);
        Assert.Equal(_ports.Clock.GetUtcNow(), key.RevokedAt);
        Assert.Equal(successor.Id, key.ReplacedById);
        Assert.Equal("sha:old-key", key.KeyHash);
    }

    [Fact]
    public async Task Handle_ActiveKey_AnswersTheNewSecretOnce()
    {
        var user = _ports.NewUser();
        var key = _ports.StoredKey(user.Id);

        var result = await Rotate(Caller(user), key.Id);

        var successor = Assert.Single(_ports.AddedKeys());
        Assert.Equal(NewSecret, result.Value.Key);
        Assert.Equal(successor.Id, result.Value.Id);
        Assert.Equal(Generated.Prefix, result.Value.KeyPrefix);
        Assert.Equal(key.Name, result.Value.Name);
        Assert.Equal(key.Permissions, result.Value.Permissions);
        var audit = _ports.SingleAudit(AuditEventTypes.ApiKeyRotated);
        Assert.Equal(user.Id, audit.UserId);
        Assert.Equal(key.Id, audit.Details!["api_key"]);
        Assert.Equal(successor.Id, audit.Details["successor"]);
        Assert.Equal(Generated.Prefix, audit.Details["prefix"]);
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type == AuditEventTypes.ApiKeyCreated);
        Assert.All(_ports.AuditDetailValues(), value =>
        {
            Assert.DoesNotContain(NewSecret, value, StringComparison.Ordinal);
            Assert.DoesNotContain(Generated.Hash, value, StringComparison.Ordinal);
            Assert.DoesNotContain(key.KeyHash, value, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Handle_ActiveKey_EvictsTheOldKeyOnlyAfterCommit()
    {
        var user = _ports.NewUser();
        var key = _ports.StoredKey(user.Id, hash: "sha:old-key");

        await Rotate(Caller(user), key.Id);

        _ports.AfterCommit.DidNotReceiveWithAnyArgs().Enqueue(default!);
        await _ports.SaveAsync();

        _ports.AfterCommit.ReceivedWithAnyArgs(1).Enqueue(default!);
        _ports.ApiKeyCache.DidNotReceiveWithAnyArgs().Evict(default!);

        await _ports.CommitAsync();

        _ports.ApiKeyCache.Received(1).Evict("sha:old-key");
        _ports.ApiKeyCache.DidNotReceive().Evict(Generated.Hash);
    }

    [Fact]
    public async Task Handle_TwoFactorOwnerWithoutProof_AnswersMfaRequiredAndLeavesKeyActive()
    {
        var user = _ports.TwoFactorUser();
        var key = _ports.StoredKey(user.Id);

        var result = await Rotate(Caller(user), key.Id);
        await _ports.SaveAsync();

        Assert.Equal(ErrorCodes.MfaRequired, result.Error!.Code);
        Assert.Null(key.RevokedAt);
        _ports.ApiKeys.DidNotReceiveWithAnyArgs().Add(default!);
        _ports.AfterCommit.DidNotReceiveWithAnyArgs().Enqueue(default!);
        Assert.Empty(_ports.AuditCalls());
    }

    [Fact]
    public async Task Handle_TwoFactorOwnerWithValidHeaderCode_Rotates()
    {
        var user = _ports.TwoFactorUser();
        var key = _ports.StoredKey(user.Id);
        _ports.TotpCode("123456", Ports.StartStep);

        var result = await Rotate(Caller(user), key.Id, stepUpCode: "123456");

        Assert.True(result.IsSuccess);
        Assert.NotNull(key.RevokedAt);
    }

    [Fact]
    public async Task Handle_CallerLackingAPermissionOfTheKey_RefusesInsufficientScopeAndLeavesKeyActive()
    {
        var user = _ports.NewUser();
        var key = _ports.StoredKey(user.Id, permissions: ["models.read", "profile"]);
        var narrowKeyCaller = new CallerIdentity(user.Id.ToString(), user.Id, AuthMethods.ApiKey, ["api_keys:write"], ApiKeyId: Guid.NewGuid());

        var result = await Rotate(narrowKeyCaller, key.Id);

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorCodes.InsufficientScope, result.Error!.Code);
        Assert.Null(key.RevokedAt);
        _ports.ApiKeys.DidNotReceiveWithAnyArgs().Add(default!);
    }
}
