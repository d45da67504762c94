using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.UnitTests.TestSupport;
using AuthPlatform.Domain.Audit;
using NSubstitute;
using AuthPlatform.Application.ApiKeys.Common;
using AuthPlatform.Application.ApiKeys.DeleteApiKey;

namespace AuthPlatform.Application.UnitTests.ApiKeys;

public sealed class DeleteApiKeyHandlerTests
{
    private readonly Ports _ports = new();
    private readonly Guid _owner = Guid.NewGuid();

    private Task<Result<Done>> Delete(KeyScope scope, Guid id) =>
        new DeleteApiKeyHandler(_ports.ApiKeys, _ports.ApiKeyCache, _ports.AfterCommit, _ports.Audit)
            .Handle(new DeleteApiKeyCommand(scope, id), CancellationToken.None).AsTask();

    [Fact]
    public async Task Handle_KeyOfAnotherOwner_AnswersNotFoundAndRemovesNothing()
    {
        var key = _ports.StoredKey(_owner);

        var result = await Delete(KeyScope.Own(Guid.NewGuid()), key.Id);

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
        Assert.Contains(key.Id.ToString(), audit.Details);
    }

    [Fact]
    public async Task Handle_AdministratorScope_RemovesAnyOwnersKey()
    {
        var key = _ports.StoredKey(_owner);
        var admin = Guid.NewGuid();

        var result = await Delete(KeyScope.Administrator(admin), key.Id);

        Assert.True(result.IsSuccess);
        _ports.ApiKeys.Received(1).Remove(key);
        Assert.Equal(admin, _ports.SingleAudit(AuditEventTypes.ApiKeyDeleted).ActorId);
    }

    [Fact]
    public async Task Handle_OwnKey_EvictsTheCacheOnlyAfterCommit()
    {
        var key = _ports.StoredKey(_owner, hash: "sha:key-to-delete");

        await Delete(KeyScope.Own(_owner), key.Id);

        _ports.AfterCommit.ReceivedWithAnyArgs(1).Enqueue(default!);
        _ports.ApiKeyCache.DidNotReceiveWithAnyArgs().Evict(default!);

        await _ports.CommitAsync();

        _ports.ApiKeyCache.Received(1).Evict("sha:key-to-delete");
    }
}
