using AuthPlatform.Application.ApiKeys.Common;
using AuthPlatform.Application.ApiKeys.DeleteApiKey;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.UnitTests.TestSupport;
using AuthPlatform.Domain.Audit;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.ApiKeys;

public sealed class DeleteApiKeyHandlerTests
{
    private readonly Ports _ports = new();
    private readonly Guid _owner = Guid.NewGuid();

    private Task<Result> Delete(KeyScope scope, Guid id) =>
        new DeleteApiKeyHandler(_ports.ApiKeys, _ports.Lineage, _ports.Clock).Handle(new DeleteApiKeyCommand(scope, id), CancellationToken.None).AsTask();

    [Fact]
    public async Task Handle_KeyOfAnotherOwner_AnswersNotFoundAndRemovesNothing()
    {
        var key = _ports.StoredKey(_owner);

        var result = await Delete(KeyScope.Own(Guid.NewGuid()), key.Id);
        await _ports.SaveAsync();

        Assert.Equal(ErrorCodes.NotFound, result.Error!.Code);
        _ports.ApiKeys.DidNotReceiveWithAnyArgs().Remove(default!);
        _ports.AfterCommit.DidNotReceiveWithAnyArgs().Enqueue(default!);
        Assert.Empty(_ports.AuditCalls());
    }

    [Fact]
    public async Task Handle_UnknownKey_AnswersNotFound()
    {
        var result = await Delete(KeyScope.Own(_owner), Guid.NewGuid());

        Assert.Equal(ErrorCodes.NotFound, result.Error!.Code);
        _ports.ApiKeys.DidNotReceiveWithAnyArgs().Remove(default!);
        Assert.Empty(_ports.AuditCalls());
    }

    [Fact]
    public async Task Handle_KeyWiderThanTheCallingKey_RefusesInsufficientScopeAndRemovesNothing()
    {
        var key = _ports.StoredKey(_owner, permissions: ["profile", "models.read"]);

        var result = await Delete(KeyScope.Own(_owner, ["api_keys:write", "profile"]), key.Id);

        Assert.Equal(ErrorCodes.InsufficientScope, result.Error!.Code);
        Assert.Contains("models.read", result.Error.Message);
        _ports.ApiKeys.DidNotReceiveWithAnyArgs().Remove(default!);
        Assert.Empty(_ports.AuditCalls());
    }

    [Fact]
    public async Task Handle_OwnKey_RemovesItAndAudits()
    {
        var key = _ports.StoredKey(_owner);

        var result = await Delete(KeyScope.Own(_owner), key.Id);

        Assert.True(result.IsSuccess);
        _ports.ApiKeys.Received(1).Remove(key);
        var audit = _ports.SingleAudit(AuditEventTypes.ApiKeyDeleted);
        Assert.Equal(_owner, audit.UserId);
        Assert.Equal(_owner, audit.ActorId);
        Assert.Equal(key.Id, audit.Details!["api_key"]);
        Assert.Equal("ap_Stored00", audit.Details["prefix"]);
        Assert.DoesNotContain(key.KeyHash, Ports.DetailValues(audit));
    }

    [Fact]
    public async Task Handle_AdministratorScope_RemovesAnyOwnersKey()
    {
        var key = _ports.StoredKey(_owner);
        var admin = Guid.NewGuid();

        var result = await Delete(KeyScope.Administrator(admin), key.Id);

        Assert.True(result.IsSuccess);
        _ports.ApiKeys.Received(1).Remove(key);
        var audit = _ports.SingleAudit(AuditEventTypes.ApiKeyDeleted);
        Assert.Equal(_owner, audit.UserId);
        Assert.Equal(admin, audit.ActorId);
    }

    [Fact]
    public async Task Handle_OwnKey_EvictsTheCacheOnlyAfterCommit()
    {
        var key = _ports.StoredKey(_owner, hash: "sha:key-to-delete");

        await Delete(KeyScope.Own(_owner), key.Id);

        _ports.AfterCommit.DidNotReceiveWithAnyArgs().Enqueue(default!);
        _ports.ApiKeyCache.DidNotReceiveWithAnyArgs().Evict(default!);

        await _ports.SaveAsync();

        _ports.AfterCommit.ReceivedWithAnyArgs(1).Enqueue(default!);
        _ports.ApiKeyCache.DidNotReceiveWithAnyArgs().Evict(default!);

        await _ports.CommitAsync();

        _ports.ApiKeyCache.Received(1).Evict("sha:key-to-delete");
    }
}
