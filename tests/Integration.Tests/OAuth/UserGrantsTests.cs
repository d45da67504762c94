// Longer than 150 lines because listing and withdrawing an app's access (consent, refresh families, access tokens at once, session rules) is proven here on both databases.
using System.Net;
using AuthPlatform.Integration.Tests.Infrastructure;

namespace AuthPlatform.Integration.Tests.OAuth;

/// <summary>SPEC section 6 through HTTP: <c>GET /api/v1/auth/grants</c> and <c>DELETE /api/v1/auth/grants/{client_id}</c>.</summary>
public abstract class UserGrantsTests<TFixture>(TFixture fixture) : TokenEndpointsTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    [Fact]
    public async Task ListGrants_AfterConsent_ListsTheAppWithItsScopes()
    {
        var user = await UserTokensAsync("openid profile");
        var session = await LoginAsync(user.Email);

        var response = await GetAsync("/api/v1/auth/grants", Str(session, "token"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var grant = Assert.Single(await ReadArrayAsync(response))!.AsObject();
        Assert.Equal(user.App.ClientId, Str(grant, "client_id"));
        Assert.Equal("Acme Notes", Str(grant, "client_name"));
        Assert.Equal(["openid", "profile"], grant["scopes"]!.AsArray().Select(s => (string)s!).ToArray());
        Assert.True(DateTimeOffset.TryParse(Str(grant, "granted_at"), out _));
        Assert.EndsWith("Z", Str(grant, "granted_at"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListGrants_OfAnotherUser_AreNotShown()
    {
        await UserTokensAsync();
        var (_, stranger) = await NewSessionAsync();

        var response = await GetAsync("/api/v1/auth/grants", Str(stranger, "token"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await ReadArrayAsync(response));
    }

    [Fact]
    public async Task ListGrants_AnAppWithoutConsent_IsListedWhileItHoldsASession()
    {
        var user = await UserTokensAsync("openid api_keys:read", requireConsent: false);

        var grants = await ReadArrayAsync(await GetAsync("/api/v1/auth/grants", Str(await LoginAsync(user.Email), "token")));

        var grant = Assert.Single(grants)!.AsObject();
        Assert.Equal(user.App.ClientId, Str(grant, "client_id"));
        Assert.Equal(["openid", "api_keys:read"], grant["scopes"]!.AsArray().Select(s => (string)s!).ToArray());
    }

    [Fact]
    public async Task RevokeGrant_EndsConsentFamiliesAndAccessTokensAtOnce()
    {
        var user = await UserTokensAsync();
        var second = await UserTokensAsync(app: user.App); // another user of the same app keeps their access
        var session = await LoginAsync(user.Email);
        Assert.Equal(HttpStatusCode.OK, await VerifyAsync(user.Tokens.AccessToken));

        var response = await DeleteAsync($"/api/v1/auth/grants/{user.App.ClientId}", Str(session, "token"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await VerifyAsync(user.Tokens.AccessToken));
        Assert.Equal(HttpStatusCode.OK, await VerifyAsync(second.Tokens.AccessToken));
        Assert.Equal(HttpStatusCode.OK, await VerifyAsync(Str(session, "token"))); // the user's own session is not the app's
        Assert.Equal(1L, await CountAsync(
            "SELECT COUNT(*) FROM refresh_token_families WHERE client_id = @c AND revocation_reason = 'grant_revoked'", ("@c", user.App.ClientId)));
        Assert.Equal(1L, await CountAsync(
            "SELECT COUNT(*) FROM refresh_token_families WHERE client_id = @c AND revoked_at IS NULL", ("@c", user.App.ClientId)));
        Assert.Empty(await ReadArrayAsync(await GetAsync("/api/v1/auth/grants", Str(session, "token"))));
        Assert.Equal(1L, await CountAsync("SELECT COUNT(*) FROM audit_events WHERE type = 'oauth.consent_revoked' AND client_id = @c", ("@c", user.App.ClientId)));
        Assert.Equal(1L, await CountAsync("SELECT COUNT(*) FROM audit_events WHERE type = 'session.revoked' AND details LIKE '%grant_revoked%'"));
        // The consent is gone: the next authorization asks again.
        var again = await user.Browser.GetAsync(AuthorizeUrl(user.App, Pkce.New(), scope: "openid profile"));
        Assert.Contains("value=\"approve\"", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokeGrant_OfAnAppWithoutConsent_EndsItsSessions()
    {
        var user = await UserTokensAsync("openid api_keys:read", requireConsent: false);
        var session = await LoginAsync(user.Email);

        var response = await DeleteAsync($"/api/v1/auth/grants/{user.App.ClientId}", Str(session, "token"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await VerifyAsync(user.Tokens.AccessToken));
        Assert.Equal(HttpStatusCode.NotFound, (await DeleteAsync($"/api/v1/auth/grants/{user.App.ClientId}", Str(session, "token"))).StatusCode);
    }

    [Theory]
    [InlineData("oc_unknown0000000000000000000000")]
    [InlineData("not a client")]
    public async Task RevokeGrant_ForAnAppWithoutGrant_Returns404(string clientId)
    {
        var (_, session) = await NewSessionAsync();

        await AssertProblemAsync(await DeleteAsync($"/api/v1/auth/grants/{Uri.EscapeDataString(clientId)}", Str(session, "token")), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task RevokeGrant_OfAnotherUsersApp_Returns404AndChangesNothing()
    {
        var user = await UserTokensAsync();
        var (_, stranger) = await NewSessionAsync();

        var response = await DeleteAsync($"/api/v1/auth/grants/{user.App.ClientId}", Str(stranger, "token"));

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "not_found");
        Assert.Equal(HttpStatusCode.OK, await VerifyAsync(user.Tokens.AccessToken));
    }

    [Fact]
    public async Task Grants_WithoutALiveSession_Return401()
    {
        var user = await UserTokensAsync();
        var session = await LoginAsync(user.Email);
        Assert.Equal(HttpStatusCode.NoContent, (await PostJsonAsync("/api/v1/auth/logout", new { refresh_token = Str(session, "refresh_token") })).StatusCode);

        await AssertProblemAsync(await GetAsync("/api/v1/auth/grants", Str(session, "token")), HttpStatusCode.Unauthorized, "invalid_token");
        await AssertProblemAsync(
            await DeleteAsync($"/api/v1/auth/grants/{user.App.ClientId}", Str(session, "token")), HttpStatusCode.Unauthorized, "invalid_token");
        await AssertProblemAsync(await GetAsync("/api/v1/auth/grants"), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task Grants_WithAnAppsToken_Return403()
    {
        // The app's own access token (method oauth) manages no account, whatever its scopes.
        var user = await UserTokensAsync("openid profile");

        await AssertProblemAsync(await GetAsync("/api/v1/auth/grants", user.Tokens.AccessToken), HttpStatusCode.Forbidden, "forbidden");
        await AssertProblemAsync(
            await DeleteAsync($"/api/v1/auth/grants/{user.App.ClientId}", user.Tokens.AccessToken), HttpStatusCode.Forbidden, "forbidden");
    }
}

public sealed class UserGrantsTestsOnSqlite(SqliteApiFixture fixture) : UserGrantsTests<SqliteApiFixture>(fixture);

public sealed class UserGrantsTestsOnPostgres(PostgresApiFixture fixture) : UserGrantsTests<PostgresApiFixture>(fixture);
