using AuthPlatform.Application.ApiKeys.Common;
using AuthPlatform.Application.ApiKeys.CreateApiKey;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.UnitTests.TestSupport;
using AuthPlatform.Domain.ApiKeys;
using AuthPlatform.Domain.Audit;
using AuthPlatform.Domain.Users;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.ApiKeys;

/// <summary>A key created by a caller that authenticated with a key: capped by it, linked to it, and only while the store still holds it active.</summary>
public sealed class CreateApiKeyWithAKeyHandlerTests
{
    private static readonly GeneratedApiKey Generated = new("ap_child-secret", "ap_ChIlD000", "sha:child");
    private static readonly string[] KeyScopes = ["profile", "api_keys:write"];

    private readonly Ports _ports = new();
    private readonly User _user;

    public CreateApiKeyWithAKeyHandlerTests()
    {
        _ports.ApiKeyGenerator.Generate().Returns(Generated);
        _user = _ports.NewUser();
    }

    private static CallerIdentity KeyCaller(ApiKey key) =>
        new(key.OwnerId.ToString(), key.OwnerId, AuthMethods.ApiKey, KeyScopes, ApiKeyId: key.Id, ExpiresAt: key.ExpiresAt);

    private ApiKey ParentExpiringIn(TimeSpan lifetime) =>
        _ports.StoredKey(_user.Id, KeyScopes, _ports.Clock.GetUtcNow() + lifetime, hash: "sha:parent");

    private Task<Result<ApiKeyCreatedResponse>> Create(CallerIdentity caller, DateTimeOffset? expiresAt = null) =>
        new CreateApiKeyHandler(_ports.ApiKeys, _ports.Callers, _ports.StepUp, _ports.ApiKeyGenerator, _ports.Mapper, _ports.Clock)
            .Handle(new CreateApiKeyCommand(caller, "child", ["profile"], expiresAt), CancellationToken.None).AsTask();

    [Fact]
    public async Task Handle_KeyExpiringIn65SecondsAndNoExpiresAt_GivesTheNewKeyThatExpiryAndTheLink()
    {
        var parent = ParentExpiringIn(TimeSpan.FromSeconds(65));
        _ports.StoreHoldsKey(parent);
        _ports.Clock.Advance(TimeSpan.FromSeconds(5));

        var result = await Create(KeyCaller(parent));

        var added = Assert.Single(_ports.AddedKeys());
        Assert.Equal(parent.ExpiresAt, added.ExpiresAt);
        Assert.Equal(parent.Id, added.CreatedByKeyId);
        Assert.Equal(parent.ExpiresAt, result.Value.ExpiresAt);
        Assert.Equal(parent.Id, result.Value.CreatedByKeyId);
        Assert.Equal(parent.Id, _ports.SingleAudit(AuditEventTypes.ApiKeyCreated).Details!["created_by_key"]);
    }

    [Fact]
    public async Task Handle_KeyAndAnEarlierExpiresAt_KeepsTheEarlierExpiry()
    {
        var parent = ParentExpiringIn(TimeSpan.FromHours(2));
        _ports.StoreHoldsKey(parent);
        var earlier = _ports.Clock.GetUtcNow().AddHours(1);

        var result = await Create(KeyCaller(parent), earlier);

        Assert.Equal(earlier, result.Value.ExpiresAt);
        Assert.Equal(parent.Id, Assert.Single(_ports.AddedKeys()).CreatedByKeyId);
    }

    [Fact]
    public async Task Handle_KeyAndAnExpiresAtAfterIt_RefusesValidationFailedOnExpiresAtAndAddsNothing()
    {
        var parent = ParentExpiringIn(TimeSpan.FromSeconds(65));
        _ports.StoreHoldsKey(parent);

        var result = await Create(KeyCaller(parent), parent.ExpiresAt!.Value.AddSeconds(1));

        Assert.Equal(ErrorCodes.ValidationFailed, result.Error!.Code);
        Assert.Contains("cannot expire after it", Assert.Single(result.Error.Fields!["expires_at"]));
        Assert.False(result.KeepsChanges);
        _ports.ApiKeys.DidNotReceiveWithAnyArgs().Add(default!);
        _ports.ApiKeyGenerator.DidNotReceive().Generate();
        Assert.Empty(_ports.AuditCalls());
    }

    [Fact]
    public async Task Handle_KeyTheStoreNoLongerHoldsActive_RefusesInvalidApiKeyAndAddsNothing()
    {
        // Revoked or deleted between the authentication and this command: the store's hold fails.
        var parent = ParentExpiringIn(TimeSpan.FromHours(1));
        _ports.StoreHoldsKey(parent, held: false);

        var result = await Create(KeyCaller(parent));

        Assert.Equal(ErrorCodes.InvalidApiKey, result.Error!.Code);
        _ports.ApiKeys.DidNotReceiveWithAnyArgs().Add(default!);
        _ports.ApiKeyGenerator.DidNotReceive().Generate();
    }

    [Fact]
    public async Task Handle_Key_HoldsItAtTheClocksTimeBeforeAddingTheNewKey()
    {
        var parent = ParentExpiringIn(TimeSpan.FromHours(1));
        _ports.StoreHoldsKey(parent);

        await Create(KeyCaller(parent));

        Received.InOrder(() =>
        {
            _ports.ApiKeys.HoldIfActiveAsync(parent.Id, _ports.Clock.GetUtcNow(), Arg.Any<CancellationToken>());
            _ports.ApiKeys.Add(Arg.Any<ApiKey>());
        });
    }

    [Fact]
    public async Task Handle_Session_NeitherHoldsNorLinksAKey()
    {
        var session = new CallerIdentity(_user.Id.ToString(), _user.Id, AuthMethods.Jwt, KeyScopes, AuthenticationMethods: ["pwd"]);

        var result = await Create(session);

        Assert.Null(Assert.Single(_ports.AddedKeys()).CreatedByKeyId);
        Assert.Null(result.Value.ExpiresAt);
        Assert.Null(result.Value.CreatedByKeyId);
        await _ports.ApiKeys.DidNotReceiveWithAnyArgs().HoldIfActiveAsync(default, default, default);
        Assert.DoesNotContain("created_by_key", _ports.SingleAudit(AuditEventTypes.ApiKeyCreated).Details!.Keys);
    }
}
