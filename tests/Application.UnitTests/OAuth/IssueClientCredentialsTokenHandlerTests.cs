// Longer than 150 lines because client authentication (every failure reason) and the grant's scope rules are tested together here.
using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Diagnostics;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Application.OAuth.IssueClientCredentialsToken;
using AuthPlatform.Application.UnitTests.TestSupport;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.OAuth;
using AuthPlatform.Domain.Users;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.OAuth;

public sealed class IssueClientCredentialsTokenHandlerTests : IDisposable
{
    private const string ClientId = "sa_0123456789abcdefghijkl";
    private readonly Ports _ports = new();
    private readonly IClientStore _store = Substitute.For<IClientStore>();
    private readonly IClientAuthenticationThrottle _throttle = Substitute.For<IClientAuthenticationThrottle>();
    private readonly IIssuedTokenAudit _audit = Substitute.For<IIssuedTokenAudit>();
    private readonly MeterFactory _meters = new();
    private readonly Guid _owner = Guid.NewGuid();

    public IssueClientCredentialsTokenHandlerTests()
    {
        _throttle.ReserveAsync(Arg.Any<string>(), Arg.Any<CancellationToken>()).Returns((TimeSpan?)null);
        _ports.AccessTokens.IssueForClientAsync(Arg.Any<ClientAccessTokenRequest>(), Arg.Any<CancellationToken>())
            .Returns(call => new IssuedAccessToken($"jwt-for-{call.Arg<ClientAccessTokenRequest>().ClientId}", Ports.Start.AddHours(1), 3600));
        Register();
    }

    public void Dispose() => _meters.Dispose();

    private void Register(
        ScopeSet? scopes = null, UserRole role = UserRole.User, bool disabled = false, DateTimeOffset? expiresAt = null, string secret = "right")
    {
        _store.FindAsync(ClientId, Arg.Any<CancellationToken>()).Returns(new ClientRegistration(
            ClientKind.ServiceAccount, Guid.NewGuid(), ClientId, true, scopes ?? ["profile", "models.read"], [GrantTypes.ClientCredentials],
            [new StoredClientSecret(Guid.NewGuid(), Ports.HashOf(secret), expiresAt)], _owner, role, disabled));
    }

    private IssueClientCredentialsTokenHandler Handler()
    {
        var authentication = new ClientAuthentication(
            [_store], Substitute.For<IClientRegistrationCache>(), _throttle, _ports.Client, _ports.DomainEvents, _ports.Secrets, new AuthMetrics(_meters), _ports.Clock);
        return new IssueClientCredentialsTokenHandler(
            authentication, _ports.AccessTokens, _ports.ScopeCatalog, _audit, _ports.Client, _ports.DomainEvents, new AuthMetrics(_meters), _ports.Clock);
    }

    private Task<Result<TokenResponse>> Grant(string secret = "right", string? scope = null, string clientId = ClientId) =>
        Handler().Handle(new IssueClientCredentialsTokenCommand(new ClientCredentialsInput(null, clientId, secret), scope), CancellationToken.None).AsTask();

    private List<ClientAuthenticationFailed> Failures() =>
        _ports.DomainEvents.ReceivedCalls().Select(c => c.GetArguments()[0]).OfType<ClientAuthenticationFailed>().ToList();

    [Fact]
    public async Task Handle_RightSecretWithoutScope_IssuesEveryScopeOfTheAccountAndAuditsInBatch()
    {
        var result = await Grant();

        Assert.True(result.IsSuccess);
        Assert.Equal(new TokenResponse($"jwt-for-{ClientId}", "Bearer", 3600, "profile models.read"), result.Value);
        _audit.Received(1).Record(Arg.Is<IssuedTokenRecord>(r => r.ClientId == ClientId && r.UserId == _owner && r.GrantType == "client_credentials"));
        _ports.DomainEvents.DidNotReceiveWithAnyArgs().Raise(default!);
        _throttle.Received(1).Complete(Arg.Any<string>(), false);
    }

    [Fact]
    public async Task Handle_NarrowerScope_IssuesThatScope()
    {
        var result = await Grant(scope: "models.read");

        Assert.Equal("models.read", result.Value.Scope);
        await _ports.AccessTokens.Received(1).IssueForClientAsync(
            Arg.Is<ClientAccessTokenRequest>(r => r.Scopes.ToString() == "models.read"), Arg.Any<CancellationToken>());
    }

    [Theory]
    [InlineData("profile admin")]
    [InlineData("Profile")]
    public async Task Handle_ScopeBeyondTheAccountOrMalformed_IsInvalidScopeKeptForTheAudit(string scope)
    {
        var result = await Grant(scope: scope);

        Assert.Equal(OAuthErrorCodes.InvalidScope, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        _ports.DomainEvents.Received(1).Raise(Arg.Is<TokenRequestRefused>(e => e.Error == OAuthErrorCodes.InvalidScope));
        await _ports.AccessTokens.DidNotReceiveWithAnyArgs().IssueForClientAsync(default!, default);
    }

    [Fact]
    public async Task Handle_AdminScopeOfAnOwnerWhoIsNoLongerAdmin_IsCappedAtTheOwnersRole()
    {
        Register(scopes: ["profile", "admin"], role: UserRole.User);

        Assert.Equal("profile", (await Grant()).Value.Scope);
        Assert.Equal(OAuthErrorCodes.InvalidScope, (await Grant(scope: "admin")).Error!.Code);
    }

    [Theory]
    [InlineData("wrong", ClientAuthenticationFailures.WrongSecret)]
    [InlineData("right", ClientAuthenticationFailures.ExpiredSecret)]
    public async Task Handle_WrongOrExpiredSecret_IsInvalidClientCountedAndAudited(string secret, string reason)
    {
        if (reason == ClientAuthenticationFailures.ExpiredSecret)
        {
            Register(expiresAt: Ports.Start.AddMinutes(5));
            _ports.Clock.Advance(TimeSpan.FromMinutes(5));
        }

        var result = await Grant(secret);

        Assert.Equal(OAuthErrorCodes.InvalidClient, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        _throttle.Received(1).Complete(Arg.Any<string>(), true);
        Assert.Equal(reason, Assert.Single(Failures()).Reason);
    }

    [Fact]
    public async Task Handle_UnknownClient_IsInvalidClientAudited()
    {
        var result = await Grant(clientId: "sa_unknown");

        Assert.Equal(OAuthErrorCodes.InvalidClient, result.Error!.Code);
        Assert.Equal(ClientAuthenticationFailures.UnknownClient, Assert.Single(Failures()).Reason);
    }

    [Fact]
    public async Task Handle_OwnerDisabled_IsInvalidClient()
    {
        Register(disabled: true);

        Assert.Equal(OAuthErrorCodes.InvalidClient, (await Grant()).Error!.Code);
        Assert.Equal(ClientAuthenticationFailures.Disabled, Assert.Single(Failures()).Reason);
    }

    [Fact]
    public async Task Handle_ThrottledAddress_IsRateLimitedBeforeTheClientIsRead()
    {
        _throttle.ReserveAsync(Arg.Any<string>(), Arg.Any<CancellationToken>()).Returns(TimeSpan.FromSeconds(42));

        var result = await Grant();

        Assert.Equal(ErrorCodes.RateLimited, result.Error!.Code);
        Assert.False(result.KeepsChanges);
        Assert.Equal(["42"], result.Error.Fields![ClientAuthentication.RetryAfterField]);
        await _store.DidNotReceiveWithAnyArgs().FindAsync(default!, default);
    }

    [Fact]
    public async Task Handle_UnknownClientIdWithFormatCharacters_IsAuditedWithoutThem()
    {
        // U+202E (right-to-left override) and U+200B (zero-width space) are Unicode category Cf; U+0007 is a control character.
        var result = await Grant(clientId: "sa_evil\u202Egnp.exe\u200B\u0007");

        Assert.Equal(OAuthErrorCodes.InvalidClient, result.Error!.Code);
        Assert.Equal("sa_evil?gnp.exe??", Assert.Single(Failures()).ClientId);
    }
}
