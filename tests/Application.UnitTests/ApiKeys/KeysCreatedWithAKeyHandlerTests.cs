// Longer than 150 lines because revoke, delete and rotate share one fixture of three generations of keys.
using AuthPlatform.Application.ApiKeys.Common;
using AuthPlatform.Application.ApiKeys.DeleteApiKey;
using AuthPlatform.Application.ApiKeys.RevokeApiKey;
using AuthPlatform.Application.ApiKeys.RotateApiKey;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.UnitTests.TestSupport;
using AuthPlatform.Domain.ApiKeys;
using AuthPlatform.Domain.Audit;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.ApiKeys;

/// <summary>
/// Revoking, deleting or rotating a key revokes the keys created with it and theirs, each through
/// the aggregate (an audit row and a cache eviction each); a caller using a key rotates only its own line.
/// </summary>
public sealed class KeysCreatedWithAKeyHandlerTests
{
    private static readonly string[] Scopes = ["profile", "api_keys:write"];

    private readonly Ports _ports = new();
    private readonly Guid _owner;
    private readonly ApiKey _parent;
    private readonly ApiKey _child;
    private readonly ApiKey _grandchild;
    private readonly ApiKey _sessionKey;

    public KeysCreatedWithAKeyHandlerTests()
    {
        _ports.ApiKeyGenerator.Generate().Returns(new GeneratedApiKey("ap_new-secret", "ap_NeW00000", "sha:new"));
        _owner = _ports.NewUser().Id;
        var expiry = _ports.Clock.GetUtcNow().AddHours(1);
        _parent = _ports.StoredKey(_owner, Scopes, expiry, hash: "sha:parent");
        _child = _ports.StoredKey(_owner, Scopes, hash: "sha:child", createdBy: _parent);
        _grandchild = _ports.StoredKey(_owner, Scopes, hash: "sha:grandchild", createdBy: _child);
        _sessionKey = _ports.StoredKey(_owner, Scopes, expiry.AddDays(30), hash: "sha:session-key");
    }

    private Task<Result<ApiKeyResponse>> Revoke(Guid id) =>
        new RevokeApiKeyHandler(_ports.ApiKeys, _ports.Lineage, _ports.Mapper, _ports.Clock)
            .Handle(new RevokeApiKeyCommand(KeyScope.Own(_owner), id), CancellationToken.None).AsTask();

    private Task<Result> Delete(Guid id) =>
        new DeleteApiKeyHandler(_ports.ApiKeys, _ports.Lineage, _ports.Clock)
            .Handle(new DeleteApiKeyCommand(KeyScope.Own(_owner), id), CancellationToken.None).AsTask();

    private Task<Result<ApiKeyCreatedResponse>> Rotate(Guid id, Guid? callingKey = null) =>
        new RotateApiKeyHandler(_ports.ApiKeys, _ports.Lineage, _ports.Callers, _ports.StepUp, _ports.ApiKeyGenerator, _ports.Mapper, _ports.Clock)
            .Handle(new RotateApiKeyCommand(Caller(callingKey), id), CancellationToken.None).AsTask();

    private CallerIdentity Caller(Guid? callingKey) => callingKey is { } key
        ? new(_owner.ToString(), _owner, AuthMethods.ApiKey, Scopes, ApiKeyId: key)
        : new(_owner.ToString(), _owner, AuthMethods.Jwt, Scopes, AuthenticationMethods: ["pwd"]);

    private void AssertRevokedWithCreator(ApiKey key, ApiKey creator)
    {
        Assert.Equal(_ports.Clock.GetUtcNow(), key.RevokedAt);
        var audit = Assert.Single(_ports.AuditCalls(), a => a.Type == AuditEventTypes.ApiKeyRevoked && Equals(a.Details!["api_key"], key.Id));
        Assert.Equal(creator.Id, audit.Details!["revoked_with_key"]);
        Assert.Equal(_owner, audit.ActorId);
    }

    [Fact]
    public async Task Revoke_KeyWithAChildAndAGrandchild_RevokesBothAndAuditsEachWithItsCreator()
    {
        _ports.Clock.Advance(TimeSpan.FromMinutes(1));

        var result = await Revoke(_parent.Id);

        Assert.True(result.IsSuccess);
        Assert.Equal(_ports.Clock.GetUtcNow(), _parent.RevokedAt);
        AssertRevokedWithCreator(_child, _parent);
        AssertRevokedWithCreator(_grandchild, _child);
        Assert.True(_sessionKey.IsActive(_ports.Clock.GetUtcNow()));
        Assert.Equal(3, _ports.AuditCalls().Count(a => a.Type == AuditEventTypes.ApiKeyRevoked));
    }

    [Fact]
    public async Task Revoke_KeyWithDescendants_EvictsEachFromTheCacheOnlyAfterTheCommit()
    {
        await Revoke(_parent.Id);
        await _ports.SaveAsync();

        _ports.ApiKeyCache.DidNotReceiveWithAnyArgs().Evict(default!);
        await _ports.CommitAsync();

        _ports.ApiKeyCache.Received(1).Evict("sha:parent");
        _ports.ApiKeyCache.Received(1).Evict("sha:child");
        _ports.ApiKeyCache.Received(1).Evict("sha:grandchild");
        _ports.ApiKeyCache.DidNotReceive().Evict("sha:session-key");
    }

    [Fact]
    public async Task Revoke_KeyWithDescendants_SavesBeforeReadingEachGeneration()
    {
        // Saved first, the revoked rows are locked: a key being created with one of them is either
        // committed before the read (and found) or finds its creator revoked.
        await Revoke(_parent.Id);

        Received.InOrder(() =>
        {
            _ports.UnitOfWork.SaveChangesAsync(Arg.Any<CancellationToken>());
            _ports.ApiKeys.ListCreatedByAsync(Arg.Is<IReadOnlyCollection<Guid>>(ids => ids.SequenceEqual(new[] { _parent.Id })), Arg.Any<CancellationToken>());
            _ports.UnitOfWork.SaveChangesAsync(Arg.Any<CancellationToken>());
            _ports.ApiKeys.ListCreatedByAsync(Arg.Is<IReadOnlyCollection<Guid>>(ids => ids.SequenceEqual(new[] { _child.Id })), Arg.Any<CancellationToken>());
            _ports.UnitOfWork.SaveChangesAsync(Arg.Any<CancellationToken>());
            _ports.ApiKeys.ListCreatedByAsync(Arg.Is<IReadOnlyCollection<Guid>>(ids => ids.SequenceEqual(new[] { _grandchild.Id })), Arg.Any<CancellationToken>());
        });
    }

    [Fact]
    public async Task Revoke_AlreadyRevokedKeyWithAnActiveChild_StillRevokesTheChild()
    {
        _parent.Revoke(_ports.Clock.GetUtcNow(), _owner);
        _ports.ForgetEvents();

        await Revoke(_parent.Id);

        AssertRevokedWithCreator(_child, _parent);
        AssertRevokedWithCreator(_grandchild, _child);
    }

    [Fact]
    public async Task Revoke_Child_LeavesItsCreatorActive()
    {
        await Revoke(_child.Id);

        Assert.NotNull(_child.RevokedAt);
        AssertRevokedWithCreator(_grandchild, _child);
        Assert.Null(_parent.RevokedAt);
    }

    [Fact]
    public async Task Delete_KeyWithDescendants_RemovesOnlyItAndRevokesTheRest()
    {
        var result = await Delete(_parent.Id);

        Assert.True(result.IsSuccess);
        _ports.ApiKeys.Received(1).Remove(_parent);
        _ports.ApiKeys.DidNotReceive().Remove(Arg.Is<ApiKey>(k => k != _parent));
        AssertRevokedWithCreator(_child, _parent);
        AssertRevokedWithCreator(_grandchild, _child);
        Assert.True(_sessionKey.IsActive(_ports.Clock.GetUtcNow()));
        await _ports.SaveAsync();
        await _ports.CommitAsync();
        _ports.ApiKeyCache.Received(1).Evict("sha:child");
        _ports.ApiKeyCache.Received(1).Evict("sha:grandchild");
    }

    [Fact]
    public async Task Rotate_KeyWithDescendants_RevokesThemWithTheOldKeyAndKeepsTheSuccessorsCreator()
    {
        var result = await Rotate(_child.Id);

        Assert.True(result.IsSuccess);
        Assert.Equal(_parent.Id, result.Value.CreatedByKeyId);
        Assert.Equal(_child.ExpiresAt, result.Value.ExpiresAt);
        AssertRevokedWithCreator(_grandchild, _child);
        Assert.Null(_parent.RevokedAt);
        Assert.Null(Assert.Single(_ports.AddedKeys()).RevokedAt);
    }

    [Fact]
    public async Task Rotate_ByAKeyOfAKeyOutsideItsLine_RefusesForbiddenAndIssuesNothing()
    {
        // A one-hour key must not turn the owner's 30-day session key, or its own creator, into a secret it holds.
        foreach (var target in new[] { _sessionKey, _parent })
        {
            var result = await Rotate(target.Id, callingKey: _child.Id);

            Assert.Equal(ErrorCodes.Forbidden, result.Error!.Code);
            Assert.Null(target.RevokedAt);
        }

        _ports.ApiKeys.DidNotReceiveWithAnyArgs().Add(default!);
        _ports.ApiKeyGenerator.DidNotReceive().Generate();
    }

    [Fact]
    public async Task Rotate_ByAKeyOfItselfOrAKeyCreatedWithIt_Succeeds()
    {
        var own = await Rotate(_grandchild.Id, callingKey: _grandchild.Id);
        var descendant = await Rotate(_child.Id, callingKey: _parent.Id);

        Assert.True(own.IsSuccess);
        Assert.True(descendant.IsSuccess);
        Assert.Equal(_child.Id, own.Value.CreatedByKeyId);
        Assert.Equal(2, _ports.AddedKeys().Count);
    }
}
