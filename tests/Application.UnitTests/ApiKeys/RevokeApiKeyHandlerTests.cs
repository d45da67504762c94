using AuthPlatform.Application.ApiKeys.Common;
using AuthPlatform.Application.ApiKeys.RevokeApiKey;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.UnitTests.TestSupport;
using AuthPlatform.Domain.Audit;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.ApiKeys;

public sealed class RevokeApiKeyHandlerTests
{
    private readonly Ports _ports = new();
    private readonly Guid _owner = Guid.NewGuid();

    private Task<Result<ApiKeyResponse>> Revoke(KeyScope scope, Guid id) =>
        new RevokeApiKeyHandler(_ports.ApiKeys, _ports.Lineage, _ports.Mapper, _ports.Clock)
            .Handle(new RevokeApiKeyCommand(scope, id), CancellationToken.None).AsTask();

    [Fact]
    public async Task Handle_KeyOfAnotherOwner_AnswersNotFoundAndLeavesKeyActive()
    {
        var key = _ports.StoredKey(_owner);

        var result = await Revoke(KeyScope.Own(Guid.NewGuid()), key.Id);
        await _ports.SaveAsync();

        Assert.Equal(ErrorCodes.NotFound, result.Error!.Code);
        Assert.Null(key.RevokedAt);
        Assert.Equal(0, key.Version);
        _ports.AfterCommit.DidNotReceiveWithAnyArgs().Enqueue(default!);
        Assert.Empty(_ports.AuditCalls());
    }

    [Fact]
    public async Task Handle_UnknownKey_AnswersNotFound()
    {
        var result = await Revoke(KeyScope.Own(_owner), Guid.NewGuid());

        Assert.Equal(ErrorCodes.NotFound, result.Error!.Code);
        Assert.Empty(_ports.AuditCalls());
    }

    [Fact]
    public async Task Handle_KeyWiderThanTheCallingKey_RefusesInsufficientScopeAndLeavesItActive()
    {
        var key = _ports.StoredKey(_owner, permissions: ["profile", "models.read"]);

        var result = await Revoke(KeyScope.Own(_owner, ["api_keys:write", "profile"]), key.Id);

        Assert.Equal(ErrorCodes.InsufficientScope, result.Error!.Code);
        Assert.Null(key.RevokedAt);
        Assert.Empty(_ports.AuditCalls());
    }

    [Fact]
    public async Task Handle_OwnKey_RevokesNowAndAudits()
    {
        var key = _ports.StoredKey(_owner);
        _ports.Clock.Advance(TimeSpan.FromMinutes(3));

        var result = await Revoke(KeyScope.Own(_owner), key.Id);

        Assert.True(result.IsSuccess);
        Assert.Equal(_ports.Clock.GetUtcNow(), key.RevokedAt);
        Assert.Equal(_ports.Clock.GetUtcNow(), result.Value.RevokedAt);
        Assert.Equal(key.Id, result.Value.Id);
        Assert.Equal(_owner, result.Value.OwnerId);
        Assert.Equal("ap_Stored00", result.Value.KeyPrefix);
        Assert.Equal(["profile", "models.read"], result.Value.Permissions);
        var audit = _ports.SingleAudit(AuditEventTypes.ApiKeyRevoked);
        Assert.Equal(_owner, audit.UserId);
        Assert.Equal(_owner, audit.ActorId);
        Assert.Equal(key.Id, audit.Details!["api_key"]);
        Assert.Equal("ap_Stored00", audit.Details["prefix"]);
        Assert.DoesNotContain(key.KeyHash, Ports.DetailValues(audit));
    }

    [Fact]
    public async Task Handle_AdministratorScope_RevokesAnyOwnersKeyAndAuditsTheAdminAsActor()
    {
        var key = _ports.StoredKey(_owner);
        var admin = Guid.NewGuid();

        var result = await Revoke(KeyScope.Administrator(admin), key.Id);

        Assert.True(result.IsSuccess);
        Assert.NotNull(key.RevokedAt);
        var audit = _ports.SingleAudit(AuditEventTypes.ApiKeyRevoked);
        Assert.Equal(_owner, audit.UserId);
        Assert.Equal(admin, audit.ActorId);
    }

    [Fact]
    public async Task Handle_OwnKey_EvictsTheCacheOnlyWhenTheEnqueuedActionRuns()
    {
        var key = _ports.StoredKey(_owner, hash: "sha:key-to-revoke");

        await Revoke(KeyScope.Own(_owner), key.Id);
        await _ports.SaveAsync();

        _ports.AfterCommit.ReceivedWithAnyArgs(1).Enqueue(default!);
        _ports.ApiKeyCache.DidNotReceiveWithAnyArgs().Evict(default!);

        await _ports.CommitAsync();

        _ports.ApiKeyCache.Received(1).Evict("sha:key-to-revoke");
    }

    [Fact]
    public async Task Handle_AlreadyRevokedKey_KeepsFirstRevocationAndDoesNotAuditAgain()
    {
        var key = _ports.StoredKey(_owner);
        var first = _ports.Clock.GetUtcNow();
        key.Revoke(first, _owner);
        _ports.ForgetEvents(); // that revocation was saved earlier
        _ports.Clock.Advance(TimeSpan.FromHours(1));

        var result = await Revoke(KeyScope.Own(_owner), key.Id);

        Assert.True(result.IsSuccess);
        Assert.Equal(first, key.RevokedAt);
        Assert.Equal(first, result.Value.RevokedAt);
        Assert.Equal(1, key.Version);
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type == AuditEventTypes.ApiKeyRevoked);
    }
}
