// Longer than 150 lines because each rule of redeeming a code (PKCE, bindings, expiry, single use and its race, the id_token) is proven here on both databases.
using System.Net;
using AuthPlatform.Integration.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthPlatform.Integration.Tests.OAuth;

/// <summary>
/// SPEC section 6 and AC-03 to AC-05: <c>grant_type=authorization_code</c> at <c>POST /oauth/token</c>
/// (<c>RedeemAuthorizationCode</c>), with codes obtained through the real pages.
/// </summary>
public abstract class CodeRedemptionTests<TFixture>(TFixture fixture) : AuthorizeFlowTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    private async Task<(App App, Pkce Pkce, string Code, string Email)> CodeAsync(
        string scope = "openid profile api_keys:read", bool withPkce = true, string[]? grants = null)
    {
        var app = await NewAppAsync(requireConsent: false, grants: grants);
        var pkce = Pkce.New();
        using var browser = NewBrowser();
        var (email, redirect) = await SignInAndApproveAsync(browser, app, AuthorizeUrl(app, withPkce ? pkce : null, scope: scope));
        return (app, pkce, redirect["code"], email);
    }

    [Fact]
    public async Task Redeem_WithTheVerifier_IssuesTokensAndAnIdTokenWithTheNonce()
    {
        var (app, pkce, code, email) = await CodeAsync();
        var user = await LoginAsync(email);

        var result = await RedeemAsync(app, code, verifier: pkce.Verifier);

        Assert.True(result.IsSuccess, result.Error?.Message);
        var tokens = result.Value!;
        Assert.Equal("Bearer", tokens.TokenType);
        Assert.Equal("openid profile api_keys:read", tokens.Scope);
        Assert.NotNull(tokens.RefreshToken);
        Assert.True(tokens.ExpiresIn > 0);
        var jwks = new JsonWebKeySet(await (await Client.GetAsync("/.well-known/jwks.json")).Content.ReadAsStringAsync());
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(tokens.IdToken, new TokenValidationParameters
        {
            ValidIssuer = "http://localhost:8080",
            ValidAudience = app.ClientId,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            LifetimeValidator = (_, _, _, _) => true, // the test's clock is not the host's
        });
        Assert.True(validation.IsValid, validation.Exception?.Message);
        var idToken = (JsonWebToken)validation.SecurityToken;
        Assert.Equal("JWT", idToken.Typ);
        Assert.Equal(Str(user["user"], "id"), idToken.Subject);
        Assert.Equal("n-0S6_WzA2Mj", idToken.GetPayloadValue<string>("nonce"));
        Assert.Equal(["pwd"], idToken.Claims.Where(c => c.Type == "amr").Select(c => c.Value));
        Assert.True(idToken.TryGetPayloadValue<long>("auth_time", out var authTime) && authTime > 0);
        Assert.True(idToken.TryGetPayloadValue<long>("exp", out _) && idToken.TryGetPayloadValue<long>("iat", out _));
        var access = new JsonWebToken(tokens.AccessToken);
        Assert.Equal(app.ClientId, access.GetPayloadValue<string>("client_id"));
        Assert.Equal("at+jwt", access.Typ);
        Assert.Equal(1L, await Factory.Database.ScalarAsync<long>(
            "SELECT COUNT(*) FROM refresh_token_families WHERE client_id = @c", ("@c", app.ClientId)));
    }

    [Fact]
    public async Task Redeem_WithoutOpenIdOrRefreshGrant_IssuesTheAccessTokenOnly()
    {
        var (app, pkce, code, _) = await CodeAsync(scope: "api_keys:read", grants: ["authorization_code"]);

        var tokens = (await RedeemAsync(app, code, verifier: pkce.Verifier)).Value!;

        Assert.Null(tokens.IdToken);
        Assert.Null(tokens.RefreshToken);
        Assert.Equal("api_keys:read", tokens.Scope);
    }

    [Theory]
    [InlineData("wrong")]
    [InlineData("missing")]
    [InlineData("malformed")]
    public async Task Redeem_WithABadVerifier_IsInvalidGrantAndTheCodeStillWorks(string kind)
    {
        var (app, pkce, code, _) = await CodeAsync();
        var verifier = kind switch
        {
            "wrong" => Pkce.New().Verifier,
            "malformed" => pkce.Verifier + "!",
            _ => null,
        };

        var refused = await RedeemAsync(app, code, verifier: verifier);

        Assert.Equal("invalid_grant", refused.Error!.Code);
        Assert.True((await RedeemAsync(app, code, verifier: pkce.Verifier)).IsSuccess);
    }

    [Fact]
    public async Task Redeem_VerifierWithoutChallenge_IsRefused()
    {
        var (app, _, code, _) = await CodeAsync(withPkce: false);

        var refused = await RedeemAsync(app, code, verifier: Pkce.New().Verifier);

        Assert.Equal("invalid_grant", refused.Error!.Code);
        Assert.Contains("no code_challenge", refused.Error.Message, StringComparison.Ordinal);
        Assert.True((await RedeemAsync(app, code)).IsSuccess);
    }

    [Theory]
    [InlineData("https://app.example.com/callback/")]
    [InlineData("https://app.example.com/other")]
    public async Task Redeem_WithAnotherRedirectUri_IsInvalidGrant(string redirect)
    {
        var (app, pkce, code, _) = await CodeAsync();

        var refused = await RedeemAsync(app, code, redirect, pkce.Verifier);

        Assert.Equal("invalid_grant", refused.Error!.Code);
        Assert.Contains("redirect_uri", refused.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redeem_ByAnotherClient_IsInvalidGrant()
    {
        var (_, pkce, code, _) = await CodeAsync();
        var other = await NewAppAsync();

        var refused = await RedeemAsync(other, code, verifier: pkce.Verifier);

        Assert.Equal("invalid_grant", refused.Error!.Code);
        Assert.Contains("another client", refused.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redeem_AfterSixtySeconds_IsInvalidGrant()
    {
        var (app, pkce, code, _) = await CodeAsync();
        Factory.Clock.Advance(TimeSpan.FromSeconds(60));

        var refused = await RedeemAsync(app, code, verifier: pkce.Verifier);

        Assert.Equal("invalid_grant", refused.Error!.Code);
    }

    [Fact]
    public async Task Redeem_UnknownCode_IsInvalidGrant()
    {
        var app = await NewAppAsync();

        var refused = await RedeemAsync(app, Pkce.New().Verifier, verifier: Pkce.New().Verifier);

        Assert.Equal("invalid_grant", refused.Error!.Code);
    }

    [Fact]
    public async Task Redeem_Twice_IsInvalidGrantAndRevokesWhatTheFirstIssued()
    {
        var (app, pkce, code, _) = await CodeAsync();
        var first = (await RedeemAsync(app, code, verifier: pkce.Verifier)).Value!;
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api/v1/auth/verify", first.AccessToken)).StatusCode);

        var second = await RedeemAsync(app, code, verifier: pkce.Verifier);

        Assert.Equal("invalid_grant", second.Error!.Code);
        Assert.Equal(1L, await Factory.Database.ScalarAsync<long>(
            "SELECT COUNT(*) FROM refresh_token_families WHERE client_id = @c AND revoked_at IS NOT NULL", ("@c", app.ClientId)));
        var refresh = ToResult(await RefreshAtTokenEndpointAsync(app, first.RefreshToken!));
        Assert.Equal("invalid_grant", refresh.Error!.Code);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/api/v1/auth/verify", first.AccessToken)).StatusCode);
        Assert.Contains("oauth.code_reused", Factory.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redeem_TwentyInParallel_ExactlyOneSucceeds()
    {
        var (app, pkce, code, _) = await CodeAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => RedeemAsync(app, code, verifier: pkce.Verifier))));

        Assert.Single(results, r => r.IsSuccess);
        Assert.All(results.Where(r => r.IsFailure), r => Assert.Equal("invalid_grant", r.Error!.Code));
        Assert.Equal(1L, await Factory.Database.ScalarAsync<long>(
            "SELECT COUNT(*) FROM refresh_token_families WHERE client_id = @c", ("@c", app.ClientId)));
    }
}

public sealed class CodeRedemptionTestsOnSqlite(SqliteApiFixture fixture) : CodeRedemptionTests<SqliteApiFixture>(fixture);

public sealed class CodeRedemptionTestsOnPostgres(PostgresApiFixture fixture) : CodeRedemptionTests<PostgresApiFixture>(fixture);
