using AuthPlatform.Application.Common.Diagnostics;
using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Application.OAuth.Token.RedeemAuthorizationCode;
using AuthPlatform.Application.UnitTests.TestSupport;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.OAuth;
using AuthPlatform.Domain.Sessions;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.OAuth;

public sealed class RedeemAuthorizationCodeHandlerTests : IDisposable
{
    private const string ClientId = "oc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    private const string Redirect = "https://app.example.com/cb";
    private const string Verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"; // RFC 7636 appendix B
    private const string Challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    private readonly Ports _ports = new();
    private readonly IAuthorizationCodeRepository _codes = Substitute.For<IAuthorizationCodeRepository>();
    private readonly IClientStore _store = Substitute.For<IClientStore>();
    private readonly IClientAuthenticationThrottle _throttle = Substitute.For<IClientAuthenticationThrottle>();
    private readonly IIdTokenIssuer _idTokens = Substitute.For<IIdTokenIssuer>();
    private readonly MeterFactory _meters = new();

    public RedeemAuthorizationCodeHandlerTests()
    {
        _throttle.ReserveAsync(Arg.Any<string>(), Arg.Any<CancellationToken>()).Returns((TimeSpan?)null);
        Register(ClientId, confidential: false);
        Register("oc_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB", confidential: false);
    }

    public void Dispose() => _meters.Dispose();

    private void Register(string clientId, bool confidential, string[]? grants = null) =>
        _store.FindAsync(clientId, Arg.Any<CancellationToken>()).Returns(new ClientRegistration(
            ClientKind.OAuthClient, Guid.NewGuid(), clientId, confidential, ["openid"], grants ?? [GrantTypes.AuthorizationCode, GrantTypes.RefreshToken],
            confidential ? [new StoredClientSecret(Guid.NewGuid(), Ports.HashOf("secret"), null)] : [], Guid.NewGuid(), Domain.Users.UserRole.User, false));

    private RedeemAuthorizationCodeHandler Handler()
    {
        var metrics = new AuthMetrics(_meters);
        var authentication = new ClientAuthentication([_store], Substitute.For<IClientRegistrationCache>(), _throttle, _ports.Client, _ports.DomainEvents, _ports.Secrets, metrics, _ports.Clock);
        var grants = new UserGrantTokens(
            _ports.Families, _ports.Secrets, _ports.AccessTokens, _idTokens, _ports.ScopeCatalog, _ports.Sessions, Substitute.For<IIssuedTokenAudit>(), _ports.Client, metrics);
        return new(authentication, _codes, _ports.Users, _ports.Families, _ports.Secrets, grants, _ports.UnitOfWork, _ports.DomainEvents, _ports.Clock);
    }

    private AuthorizationCode StoredCode(string code = "the-code", bool pkce = true)
    {
        var now = _ports.Clock.GetUtcNow();
        var stored = AuthorizationCode.Issue(
            Guid.NewGuid(), Ports.HashOf(code), ClientId, Guid.NewGuid(), Redirect, ScopeSet.From(["openid"]), pkce ? Challenge : null, pkce ? "S256" : null,
            "nonce", now, ["pwd"], AuthorizationCode.MaxLifetime, now);
        _codes.FindByHashAsync(Ports.HashOf(code), Arg.Any<CancellationToken>()).Returns(stored);
        return stored;
    }

    private Task<Application.Common.Results.Result<TokenResponse>> Redeem(
        string code = "the-code", string clientId = ClientId, string redirect = Redirect, string? verifier = Verifier, string? secret = null) =>
        Handler().Handle(
            new RedeemAuthorizationCodeCommand(new ClientCredentialsInput(null, clientId, secret), code, redirect, verifier), CancellationToken.None).AsTask();

    [Fact]
    public void VerifierMatches_Rfc7636AppendixB_IsTrue()
    {
        Assert.True(RedeemAuthorizationCodeHandler.VerifierMatches(Verifier, Challenge));
        Assert.False(RedeemAuthorizationCodeHandler.VerifierMatches(Verifier[..^1] + "l", Challenge));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("short", false)]
    [InlineData(Verifier, true)]
    [InlineData(Verifier + "+", false)]
    [InlineData(Verifier + ".~", true)]
    public void IsWellFormedVerifier_FollowsRfc7636(string? verifier, bool expected) =>
        Assert.Equal(expected, RedeemAuthorizationCodeHandler.IsWellFormedVerifier(verifier));

    [Fact]
    public async Task Handle_UnknownCode_ReturnsInvalidGrantAndChangesNothing()
    {
        var result = await Redeem("never-issued");

        Assert.Equal(OAuthProtocolErrors.InvalidGrant, result.Error!.Code);
        Assert.False(result.KeepsChanges);
        await _ports.UnitOfWork.DidNotReceiveWithAnyArgs().SaveChangesAsync(default);
    }

    [Theory]
    [InlineData("oc_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB", Redirect, Verifier)]
    [InlineData(ClientId, Redirect + "/", Verifier)]
    [InlineData(ClientId, Redirect, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXx")]
    public async Task Handle_BindingOrPkceFails_ReturnsInvalidGrantWithoutSpendingTheCode(string clientId, string redirect, string verifier)
    {
        var code = StoredCode();

        var result = await Redeem(clientId: clientId, redirect: redirect, verifier: verifier);

        Assert.Equal(OAuthProtocolErrors.InvalidGrant, result.Error!.Code);
        Assert.Null(code.RedeemedAt);
        await _ports.AccessTokens.DidNotReceiveWithAnyArgs().IssueAsync(default!, default);
    }

    [Fact]
    public async Task Handle_SecondUse_RevokesTheFamilyOfTheFirstAndKeepsTheReuseEvent()
    {
        var code = StoredCode();
        code.Redeem(_ports.Clock.GetUtcNow());
        var family = Guid.NewGuid();
        code.RecordIssued(family, null);

        var result = await Redeem();

        Assert.Equal(OAuthProtocolErrors.InvalidGrant, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        await _ports.Families.Received(1).RevokeAsync(family, RevocationReasons.CodeReuse, Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Handle_UserNoLongerExists_DiscardsTheRedemptionAndReturnsInvalidGrant()
    {
        StoredCode();

        var result = await Redeem();

        Assert.Equal(OAuthProtocolErrors.InvalidGrant, result.Error!.Code);
        _ports.UnitOfWork.Received(1).DiscardChanges();
        await _ports.UnitOfWork.DidNotReceiveWithAnyArgs().SaveChangesAsync(default);
    }

    [Fact]
    public async Task Handle_PublicClientWithACodeWithoutPkce_ReturnsInvalidGrantWithoutSpendingTheCode()
    {
        var code = StoredCode(pkce: false);

        var result = await Redeem(verifier: null);

        Assert.Equal(OAuthProtocolErrors.InvalidGrant, result.Error!.Code);
        Assert.Contains("public client must use PKCE", result.Error.Message, StringComparison.Ordinal);
        Assert.Null(code.RedeemedAt);
    }

    [Fact]
    public async Task Handle_ConfidentialClientWithACodeWithoutPkce_Redeems()
    {
        Register(ClientId, confidential: true);
        var code = StoredCode(pkce: false);
        var user = _ports.NewUser();
        _ports.Users.FindByIdAsync(code.UserId, Arg.Any<CancellationToken>()).Returns(user);

        var result = await Redeem(verifier: null, secret: "secret");

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.NotNull(code.RedeemedAt);
    }

    [Fact]
    public async Task Handle_ClientNotRegisteredForTheGrant_ReturnsUnauthorizedClientBeforeReadingTheCode()
    {
        Register(ClientId, confidential: true, grants: [GrantTypes.ClientCredentials]);
        StoredCode();

        var result = await Redeem(secret: "secret");

        Assert.Equal(OAuthErrorCodes.UnauthorizedClient, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        await _codes.DidNotReceiveWithAnyArgs().FindByHashAsync(default!, default);
    }

    [Fact]
    public async Task Handle_WrongSecret_ReturnsInvalidClientBeforeReadingTheCode()
    {
        Register(ClientId, confidential: true);
        StoredCode();

        var result = await Redeem(secret: "wrong");

        Assert.Equal(OAuthErrorCodes.InvalidClient, result.Error!.Code);
        await _codes.DidNotReceiveWithAnyArgs().FindByHashAsync(default!, default);
    }

    [Fact]
    public async Task Handle_Expired_ReturnsInvalidGrant()
    {
        StoredCode();
        _ports.Clock.Advance(AuthorizationCode.MaxLifetime);

        var result = await Redeem();

        Assert.Equal(OAuthProtocolErrors.InvalidGrant, result.Error!.Code);
        Assert.False(result.KeepsChanges);
    }
}
