// Longer than 150 lines because each client use case's refusals (scope, ownership, first-party, step-up, type) are proven beside its success.
using System.Security.Cryptography;
using System.Text;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.OAuth.Clients.CreateClient;
using AuthPlatform.Application.OAuth.Clients.DeleteClient;
using AuthPlatform.Application.OAuth.Clients.RotateClientSecret;
using AuthPlatform.Application.OAuth.Clients.UpdateClient;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Application.UnitTests.TestSupport;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.OAuth;
using AuthPlatform.Domain.Users;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.OAuth;

public sealed class ClientHandlerTests
{
    private static readonly string[] UserScopes = ["profile", "clients:read", "clients:write", "api_keys:read"];

    private readonly Ports _ports = new();
    private readonly IOAuthClientRepository _clients = Substitute.For<IOAuthClientRepository>();

    public ClientHandlerTests() =>
        _ports.Secrets.Hash(Arg.Any<string>()).Returns(call => Sha(call.Arg<string>()));

    private static string Sha(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static CallerIdentity Caller(User user, IReadOnlyList<string>? scopes = null) =>
        new(user.Id.ToString(), user.Id, AuthMethods.Jwt, scopes ?? UserScopes, AuthenticationMethods: ["pwd"]);

    private static CallerIdentity Admin(User user) => Caller(user, [.. UserScopes, Scopes.Admin]);

    private static CreateClientCommand Create(CallerIdentity caller, string type = "confidential", string[]? scopes = null, bool firstParty = false, string[]? grants = null) =>
        new(caller, "Acme", type, ["https://app.example.com/cb"], [], grants ?? ["authorization_code", "refresh_token"], scopes ?? ["openid", "profile"], true, firstParty);


    private CreateClientHandler CreateHandler() => new(_clients, _ports.Callers, _ports.StepUp, _ports.Secrets, _ports.Mapper, _ports.Clock);

    private OAuthClient StoredClient(Guid ownerId, OAuthClientType type = OAuthClientType.Confidential, string scopes = "openid profile")
    {
        var client = OAuthClient.Register(
            Guid.NewGuid(), "oc_0123456789abcdefghijABCDEFGHIJ01", ownerId, type,
            new OAuthClientSettings("Stored", ["https://app.example.com/cb"], [], ["authorization_code"], ScopeSet.Parse(scopes), true, false),
            type == OAuthClientType.Confidential ? (Guid.NewGuid(), Sha("stored-secret")) : null, ownerId, _ports.Clock.GetUtcNow());
        client.DequeueDomainEvents();
        _clients.FindByIdAsync(client.Id, Arg.Any<CancellationToken>()).Returns(client);
        return client;
    }

    private OAuthClient SingleAdded() =>
        (OAuthClient)Assert.Single(_clients.ReceivedCalls(), c => c.GetMethodInfo().Name == nameof(IOAuthClientRepository.Add)).GetArguments()[0]!;

    [Fact]
    public async Task Create_Confidential_StoresOnlyTheHashAndAnswersTheSecretOnce()
    {
        var user = _ports.NewUser();

        var result = await CreateHandler().Handle(Create(Caller(user)), CancellationToken.None);

        Assert.True(result.IsSuccess);
        var client = SingleAdded();
        var secret = result.Value.ClientSecret!;
        Assert.Equal(Sha(secret), Assert.Single(client.Secrets).SecretHash);
        Assert.Matches("^oc_[0-9A-Za-z]{32}$", result.Value.ClientId);
        Assert.Equal(user.Id, client.OwnerId);
        Assert.IsType<OAuthClientCreated>(Assert.Single(client.DomainEvents));
    }

    [Fact]
    public async Task Create_Public_AnswersNoSecret()
    {
        var user = _ports.NewUser();

        var result = await CreateHandler().Handle(Create(Caller(user), type: "public"), CancellationToken.None);

        Assert.Null(result.Value.ClientSecret);
        Assert.Empty(SingleAdded().Secrets);
    }

    [Fact]
    public async Task Create_ScopeTheCallerLacks_RefusesInsufficientScopeAndAddsNothing()
    {
        var user = _ports.NewUser();

        var result = await CreateHandler().Handle(Create(Caller(user), scopes: ["profile", "audit:read"]), CancellationToken.None);

        Assert.Equal(ErrorCodes.InsufficientScope, result.Error!.Code);
        Assert.Contains("audit:read", result.Error.Message, StringComparison.Ordinal);
        _clients.DidNotReceiveWithAnyArgs().Add(default!);
    }

    [Fact]
    public async Task Create_IdentityScopesTheCallerDoesNotHold_AreAllowed()
    {
        var user = _ports.NewUser();

        var result = await CreateHandler().Handle(Create(Caller(user, ["clients:write"]), scopes: ["openid", "email"]), CancellationToken.None);

        Assert.True(result.IsSuccess);
    }

    [Fact]
    public async Task Create_FirstPartyByANonAdministrator_RefusesForbidden()
    {
        var user = _ports.NewUser();

        var result = await CreateHandler().Handle(Create(Caller(user), firstParty: true, grants: ["password"]), CancellationToken.None);

        Assert.Equal(ErrorCodes.Forbidden, result.Error!.Code);
        _clients.DidNotReceiveWithAnyArgs().Add(default!);
    }

    [Fact]
    public async Task Create_FirstPartyByAnAdministrator_IsRegistered()
    {
        var user = _ports.NewUser();

        var result = await CreateHandler().Handle(Create(Admin(user), firstParty: true, grants: ["password", "refresh_token"]), CancellationToken.None);

        Assert.True(result.IsSuccess);
        Assert.True(SingleAdded().FirstParty);
    }

    [Fact]
    public async Task Create_TwoFactorUserWithoutAFreshSecondFactor_RefusesMfaRequiredAndAddsNothing()
    {
        var user = _ports.TwoFactorUser();

        var result = await CreateHandler().Handle(Create(Caller(user)), CancellationToken.None);

        Assert.Equal(ErrorCodes.MfaRequired, result.Error!.Code);
        _clients.DidNotReceiveWithAnyArgs().Add(default!);
        _ports.Secrets.DidNotReceiveWithAnyArgs().NewSecret(default);
    }

    [Fact]
    public async Task Create_CallerThatIsNoUser_RefusesForbidden()
    {
        var caller = new CallerIdentity("svc", null, AuthMethods.OAuth, UserScopes, ClientId: "svc");

        var result = await CreateHandler().Handle(Create(caller), CancellationToken.None);

        Assert.Equal(ErrorCodes.Forbidden, result.Error!.Code);
    }

    [Fact]
    public async Task Update_AnotherUsersClient_IsNotFound()
    {
        var user = _ports.NewUser();
        var client = StoredClient(Guid.NewGuid());

        var result = await new UpdateClientHandler(_clients, _ports.Callers, _ports.StepUp, _ports.Mapper, _ports.Clock)
            .Handle(new UpdateClientCommand(Caller(user), client.Id, Name: "mine"), CancellationToken.None);

        Assert.Equal(ErrorCodes.NotFound, result.Error!.Code);
        Assert.Equal("Stored", client.Name);
    }

    [Fact]
    public async Task Update_ByAnAdministrator_ChangesAnyonesClient()
    {
        var admin = _ports.NewUser();
        var client = StoredClient(Guid.NewGuid());

        var result = await new UpdateClientHandler(_clients, _ports.Callers, _ports.StepUp, _ports.Mapper, _ports.Clock)
            .Handle(new UpdateClientCommand(Admin(admin), client.Id, RequireConsent: false), CancellationToken.None);

        Assert.True(result.IsSuccess);
        Assert.False(client.RequireConsent);
        Assert.Equal(admin.Id, Assert.IsType<OAuthClientUpdated>(Assert.Single(client.DomainEvents)).ActorId);
    }

    [Fact]
    public async Task Update_PrivateUseSchemeOnAConfidentialClient_IsAValidationFailure()
    {
        var user = _ports.NewUser();
        var client = StoredClient(user.Id);

        var result = await new UpdateClientHandler(_clients, _ports.Callers, _ports.StepUp, _ports.Mapper, _ports.Clock)
            .Handle(new UpdateClientCommand(Caller(user), client.Id, RedirectUris: ["com.example.app:/cb"]), CancellationToken.None);

        Assert.Equal(ErrorCodes.ValidationFailed, result.Error!.Code);
        Assert.Contains("redirect_uris[0]", result.Error.Fields!.Keys);
        Assert.Empty(client.DomainEvents);
    }

    [Fact]
    public async Task Update_RemovingTheLastRedirectUriOfACodeClient_IsAValidationFailure()
    {
        var user = _ports.NewUser();
        var client = StoredClient(user.Id);

        var result = await new UpdateClientHandler(_clients, _ports.Callers, _ports.StepUp, _ports.Mapper, _ports.Clock)
            .Handle(new UpdateClientCommand(Caller(user), client.Id, RedirectUris: []), CancellationToken.None);

        Assert.Contains("redirect_uris", result.Error!.Fields!.Keys);
        Assert.Single(client.RedirectUris);
    }

    [Fact]
    public async Task Rotate_PublicClient_IsAConflict()
    {
        var user = _ports.NewUser();
        var client = StoredClient(user.Id, OAuthClientType.Public);

        var result = await RotateHandler().Handle(new RotateClientSecretCommand(Caller(user), client.Id), CancellationToken.None);

        Assert.Equal(ErrorCodes.Conflict, result.Error!.Code);
    }

    [Fact]
    public async Task Rotate_TwoFactorUserWithoutAFreshSecondFactor_RefusesAndKeepsTheSecret()
    {
        var user = _ports.TwoFactorUser();
        var client = StoredClient(user.Id);

        var result = await RotateHandler().Handle(new RotateClientSecretCommand(Caller(user), client.Id), CancellationToken.None);

        Assert.Equal(ErrorCodes.MfaRequired, result.Error!.Code);
        Assert.True(client.VerifySecret(Sha("stored-secret"), _ports.Clock.GetUtcNow()));
        Assert.Empty(client.DomainEvents);
    }

    [Fact]
    public async Task Update_RedirectsOrGrantsByATwoFactorUserWithoutAFreshSecondFactor_RefusesMfaRequiredAndKeepsThem()
    {
        var user = _ports.TwoFactorUser();
        var client = StoredClient(user.Id);
        var before = client.RedirectUris.ToArray();

        var redirect = await new UpdateClientHandler(_clients, _ports.Callers, _ports.StepUp, _ports.Mapper, _ports.Clock)
            .Handle(new UpdateClientCommand(Caller(user), client.Id, RedirectUris: ["https://attacker.example/cb"]), CancellationToken.None);
        var logout = await new UpdateClientHandler(_clients, _ports.Callers, _ports.StepUp, _ports.Mapper, _ports.Clock)
            .Handle(new UpdateClientCommand(Caller(user), client.Id, PostLogoutRedirectUris: ["https://attacker.example/bye"]), CancellationToken.None);
        var renamed = await new UpdateClientHandler(_clients, _ports.Callers, _ports.StepUp, _ports.Mapper, _ports.Clock)
            .Handle(new UpdateClientCommand(Caller(user), client.Id, Name: "renamed", RedirectUris: before), CancellationToken.None);

        Assert.Equal(ErrorCodes.MfaRequired, redirect.Error!.Code);
        Assert.Equal(ErrorCodes.MfaRequired, logout.Error!.Code);
        Assert.Equal(before, client.RedirectUris);
        Assert.Empty(client.PostLogoutRedirectUris);
        Assert.True(renamed.IsSuccess); // the same URIs again and a new name: nothing to step up for
        Assert.Equal("renamed", client.Name);
    }

    [Fact]
    public async Task Rotate_ClientWiderThanTheCaller_RefusesInsufficientScope()
    {
        var user = _ports.NewUser();
        var client = StoredClient(user.Id, scopes: "profile api_keys:read");

        var result = await RotateHandler().Handle(new RotateClientSecretCommand(Caller(user, ["clients:write", "profile"]), client.Id), CancellationToken.None);

        Assert.Equal(ErrorCodes.InsufficientScope, result.Error!.Code);
    }

    [Fact]
    public async Task Rotate_WithGrace_AnswersTheNewSecretAndWhenTheOldStops()
    {
        var user = _ports.NewUser();
        var client = StoredClient(user.Id);

        var result = await RotateHandler().Handle(new RotateClientSecretCommand(Caller(user), client.Id, 600), CancellationToken.None);

        Assert.True(client.VerifySecret(Sha(result.Value.ClientSecret), _ports.Clock.GetUtcNow()));
        Assert.Equal(_ports.Clock.GetUtcNow().AddMinutes(10), result.Value.PreviousSecretsExpireAt);
        Assert.True(client.VerifySecret(Sha("stored-secret"), _ports.Clock.GetUtcNow().AddMinutes(9)));
    }

    private RotateClientSecretHandler RotateHandler() => new(_clients, _ports.Callers, _ports.StepUp, _ports.Secrets, _ports.Clock);

    [Fact]
    public async Task Delete_OwnClient_RemovesItAndRaisesDeleted()
    {
        var user = _ports.NewUser();
        var client = StoredClient(user.Id);

        var result = await new DeleteClientHandler(_clients, _ports.Families, _ports.Clock).Handle(new DeleteClientCommand(Caller(user), client.Id), CancellationToken.None);

        Assert.True(result.IsSuccess);
        _clients.Received(1).Remove(client);
        Assert.IsType<OAuthClientDeleted>(Assert.Single(client.DomainEvents));
        await _ports.Families.Received(1).RevokeAllForClientAsync(client.ClientId, "client_deleted", _ports.Clock.GetUtcNow(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Delete_AnotherUsersClient_IsNotFoundAndRemovesNothing()
    {
        var user = _ports.NewUser();
        var client = StoredClient(Guid.NewGuid());

        var result = await new DeleteClientHandler(_clients, _ports.Families, _ports.Clock).Handle(new DeleteClientCommand(Caller(user), client.Id), CancellationToken.None);

        Assert.Equal(ErrorCodes.NotFound, result.Error!.Code);
        _clients.DidNotReceiveWithAnyArgs().Remove(default!);
        await _ports.Families.DidNotReceiveWithAnyArgs().RevokeAllForClientAsync(default!, default!, default, default);
    }
}
