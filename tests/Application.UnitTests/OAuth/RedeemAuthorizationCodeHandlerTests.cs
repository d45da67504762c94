using AuthPlatform.Application.OAuth.Common;
using AuthPlatform.Application.OAuth.Token.RedeemAuthorizationCode;
using AuthPlatform.Application.UnitTests.TestSupport;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.OAuth;
using AuthPlatform.Domain.Sessions;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.OAuth;

public sealed class RedeemAuthorizationCodeHandlerTests
{
    private const string ClientId = "oc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    private const string Redirect = "https://app.example.com/cb";
    private const string Verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"; // RFC 7636 appendix B
    private const string Challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    private readonly Ports _ports = new();
    private readonly IAuthorizationCodeRepository _codes = Substitute.For<IAuthorizationCodeRepository>();
    private readonly IOAuthClientRepository _clients = Substitute.For<IOAuthClientRepository>();
    private readonly IIdTokenIssuer _idTokens = Substitute.For<IIdTokenIssuer>();

    private RedeemAuthorizationCodeHandler Handler() =>
        new(_codes, _clients, _ports.Users, _ports.Families, _ports.Secrets, _ports.AccessTokens, _idTokens, _ports.ScopeCatalog,
            _ports.Sessions, _ports.UnitOfWork, _ports.Clock);

    private AuthorizationCode StoredCode(string code = "the-code")
    {
        var now = _ports.Clock.GetUtcNow();
        var stored = AuthorizationCode.Issue(
            Guid.NewGuid(), Ports.HashOf(code), ClientId, Guid.NewGuid(), Redirect, ScopeSet.From(["openid"]), Challenge, "S256",
            "nonce", now, ["pwd"], AuthorizationCode.MaxLifetime, now);
        _codes.FindByHashAsync(Ports.HashOf(code), Arg.Any<CancellationToken>()).Returns(stored);
        return stored;
    }

    private Task<Application.Common.Results.Result<AuthorizationCodeTokens>> Redeem(
        string code = "the-code", string clientId = ClientId, string redirect = Redirect, string? verifier = Verifier) =>
        Handler().Handle(new RedeemAuthorizationCodeCommand(clientId, code, redirect, verifier), CancellationToken.None).AsTask();

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
    public async Task Handle_ClientNoLongerExists_DiscardsTheRedemptionAndReturnsInvalidGrant()
    {
        StoredCode();
        var user = _ports.NewUser();
        _ports.Users.FindByIdAsync(Arg.Any<Guid>(), Arg.Any<CancellationToken>()).Returns(user);
        _clients.FindByClientIdAsync(ClientId, Arg.Any<CancellationToken>()).Returns((OAuthClient?)null);

        var result = await Redeem();

        Assert.Equal(OAuthProtocolErrors.InvalidGrant, result.Error!.Code);
        _ports.UnitOfWork.Received(1).DiscardChanges();
        await _ports.UnitOfWork.DidNotReceiveWithAnyArgs().SaveChangesAsync(default);
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
