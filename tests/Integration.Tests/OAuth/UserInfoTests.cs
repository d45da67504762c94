using System.Net;
using AuthPlatform.Integration.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AuthPlatform.Integration.Tests.OAuth;

/// <summary>OpenID Connect Core 5.3 and RFC 6750 3.1 through HTTP: <c>GET</c>/<c>POST /oauth/userinfo</c>.</summary>
public abstract class UserInfoTests<TFixture>(TFixture fixture) : TokenEndpointsTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task UserInfo_WithOpenIdProfileAndEmail_ReturnsSubNameAndEmail(string method)
    {
        var user = await UserTokensAsync("openid profile email");

        var response = await SendAsync(new HttpMethod(method), "/oauth/userinfo", null, user.Tokens.AccessToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = await ReadObjectAsync(response);
        Assert.Equal(new JsonWebToken(user.Tokens.IdToken).Subject, Str(body, "sub"));
        Assert.Equal(user.Email, Str(body, "email"));
        Assert.False((bool)body["email_verified"]!);
        Assert.Equal("Test User", Str(body, "name"));
    }

    [Theory]
    [InlineData("openid profile", false)]
    [InlineData("openid profile email", true)]
    public async Task Me_WithAnAppsToken_ShowsTheAddressOnlyWithTheEmailScope(string scope, bool shown)
    {
        var user = await UserTokensAsync(scope: scope);

        var response = await GetAsync("/api/v1/auth/me", user.Tokens.AccessToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = await ReadObjectAsync(response);
        Assert.Equal("oauth", Str(me["auth"]!.AsObject(), "method"));
        if (shown)
        {
            Assert.Equal(user.Email, Str(me, "email"));
        }
        else
        {
            Assert.True(me["email"] is null, me.ToJsonString());
        }
    }

    [Fact]
    public async Task UserInfo_WithOpenIdOnly_ReturnsTheSubAlone()
    {
        var user = await UserTokensAsync("openid");

        var body = await ReadObjectAsync(await GetAsync("/oauth/userinfo", user.Tokens.AccessToken));

        Assert.Equal(["sub"], body.Select(p => p.Key).ToArray());
    }

    [Fact]
    public async Task UserInfo_WithoutOpenIdScope_Returns403InsufficientScope()
    {
        var user = await UserTokensAsync("profile email");

        var response = await GetAsync("/oauth/userinfo", user.Tokens.AccessToken);

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "insufficient_scope");
        Assert.Contains("error=\"insufficient_scope\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserInfo_WithAClientsOwnToken_Returns403InsufficientScope()
    {
        var account = await NewAccountAsync();

        var response = await GetAsync("/oauth/userinfo", await AccountTokenAsync(account));

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "insufficient_scope");
    }

    [Fact]
    public async Task UserInfo_WithoutToken_Returns401WithABareBearerChallenge()
    {
        var response = await GetAsync("/oauth/userinfo");

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Equal("Bearer realm=\"authplatform\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("tampered")]
    [InlineData("expired")]
    [InlineData("revoked")]
    public async Task UserInfo_WithADeadToken_Returns401InvalidToken(string kind)
    {
        var user = await UserTokensAsync("openid profile");
        var token = user.Tokens.AccessToken;
        switch (kind)
        {
            case "tampered":
                token = token[..^4] + (token[^4] == 'A' ? "BBBB" : "AAAA");
                break;
            case "expired":
                Factory.Clock.Advance(TimeSpan.FromHours(2));
                break;
            default:
                Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync($"/api/v1/auth/grants/{user.App.ClientId}", Str(await LoginAsync(user.Email), "token"))).StatusCode);
                break;
        }

        var response = await GetAsync("/oauth/userinfo", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }
}

public sealed class UserInfoTestsOnSqlite(SqliteApiFixture fixture) : UserInfoTests<SqliteApiFixture>(fixture);

public sealed class UserInfoTestsOnPostgres(PostgresApiFixture fixture) : UserInfoTests<PostgresApiFixture>(fixture);
