// Longer than 150 lines because each rule of RFC 7009 (client authentication, no oracle, own tokens only, refresh families, access tokens at once) is proven here on both databases.
using System.Net;
using AuthPlatform.Integration.Tests.Infrastructure;

namespace AuthPlatform.Integration.Tests.OAuth;

/// <summary>RFC 7009 and RV-01 through HTTP: <c>POST /oauth/revoke</c>.</summary>
public abstract class TokenRevocationTests<TFixture>(TFixture fixture) : TokenEndpointsTestBase<TFixture>(fixture)
    where TFixture : ApiFixture
{
    [Theory]
    [InlineData(false, null)]
    [InlineData(true, "access_token")]
    [InlineData(false, "refresh_token")] // a wrong hint: the token's form says what it is
    [InlineData(false, "id_token")] // an unknown hint is ignored (RFC 7009 2.1)
    public async Task Revoke_OwnAccessToken_Returns200EmptyAndTheTokenStopsAtOnce(bool post, string? hint)
    {
        var account = await NewAccountAsync();
        var token = await AccountTokenAsync(account);
        Assert.Equal(HttpStatusCode.OK, await VerifyAsync(token));

        var response = await RevokeAsync(account, token, hint, post);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var refused = await GetAsync("/api/v1/auth/verify", token);
        await AssertProblemAsync(refused, HttpStatusCode.Unauthorized, "invalid_token");
        Assert.Contains("error=\"invalid_token\"", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(1L, await CountAsync(
            "SELECT COUNT(*) FROM audit_events WHERE type = 'oauth.token_revoked' AND client_id = @c AND details LIKE '%access_token%'", ("@c", account.ClientId)));
        // Another token of the same client is untouched: the revocation is by jti.
        Assert.Equal(HttpStatusCode.OK, await VerifyAsync(await AccountTokenAsync(account)));
    }

    [Fact]
    public async Task Revoke_AnotherClientsAccessToken_Returns200AndTheTokenStillWorks()
    {
        var owner = await NewAccountAsync();
        var other = await NewAccountAsync();
        var token = await AccountTokenAsync(owner);

        var response = await RevokeAsync(other, token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await VerifyAsync(token));
        Assert.Equal(0L, await CountAsync("SELECT COUNT(*) FROM audit_events WHERE type = 'oauth.token_revoked'"));
    }

    [Fact]
    public async Task Revoke_AUsersAccessTokenByAnotherClient_LeavesTokenAndSessionLive()
    {
        var user = await UserTokensAsync();
        var account = await NewAccountAsync();

        var response = await RevokeAsync(account, user.Tokens.AccessToken, "access_token");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await VerifyAsync(user.Tokens.AccessToken));
        Assert.Equal(0L, await CountAsync("SELECT COUNT(*) FROM refresh_token_families WHERE client_id = @c AND revoked_at IS NOT NULL", ("@c", user.App.ClientId)));
    }

    [Fact]
    public async Task Revoke_AnotherClientsRefreshToken_Returns200AndTheFamilyStaysLive()
    {
        var user = await UserTokensAsync();
        var account = await NewAccountAsync();

        var response = await RevokeAsync(account, user.Tokens.RefreshToken!, "refresh_token");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
        Assert.Equal(0L, await CountAsync("SELECT COUNT(*) FROM refresh_token_families WHERE client_id = @c AND revoked_at IS NOT NULL", ("@c", user.App.ClientId)));
        Assert.Equal(HttpStatusCode.OK, await VerifyAsync(user.Tokens.AccessToken));
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl")] // JWT-shaped, not ours
    [InlineData("0123456789abcdefghijklmnopqrstuvwxyzABCDEFG")] // refresh-token-shaped, unknown
    public async Task Revoke_UnknownOrMalformedToken_Returns200WithEmptyBody(string token)
    {
        var account = await NewAccountAsync();

        var response = await RevokeAsync(account, token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Revoke_ExpiredToken_Returns200()
    {
        var account = await NewAccountAsync();
        var token = await AccountTokenAsync(account);
        Factory.Clock.Advance(TimeSpan.FromHours(2));

        Assert.Equal(HttpStatusCode.OK, (await RevokeAsync(account, token)).StatusCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Revoke_WithAWrongSecret_Returns401InvalidClientAndTheTokenStillWorks(bool post)
    {
        var account = await NewAccountAsync();
        var token = await AccountTokenAsync(account);

        var response = await RevokeAsync(account, token, post: post, secret: "wrong-secret-0123456789");

        await AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.StartsWith("Basic realm=\"authplatform\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await VerifyAsync(token));
        Assert.Equal(1L, await CountAsync(
            "SELECT COUNT(*) FROM audit_events WHERE type = 'oauth.client_authentication_failed' AND client_id = @c", ("@c", account.ClientId)));
    }

    [Fact]
    public async Task Revoke_WithoutClientAuthentication_Returns401InvalidClient()
    {
        var account = await NewAccountAsync();
        var token = await AccountTokenAsync(account);

        var response = await RevokeAsync(null, token);

        await AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Equal(HttpStatusCode.OK, await VerifyAsync(token));
    }

    [Fact]
    public async Task Revoke_WithoutToken_Returns400InvalidRequest()
    {
        var account = await NewAccountAsync();

        await AssertOAuthErrorAsync(await FormAsync("/oauth/revoke", [P("token_type_hint", "access_token")], account), HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Revoke_WithJsonOrARepeatedToken_Returns400InvalidRequest()
    {
        var account = await NewAccountAsync();
        var token = await AccountTokenAsync(account);

        var json = await PostJsonAsync("/oauth/revoke", new { token });
        var repeated = await FormAsync("/oauth/revoke", [P("token", token), P("token", token)], account);

        await AssertOAuthErrorAsync(json, HttpStatusCode.BadRequest, "invalid_request");
        await AssertOAuthErrorAsync(repeated, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal(HttpStatusCode.OK, await VerifyAsync(token));
    }

    [Theory]
    [InlineData("/oauth/revoke", "many-values")]
    [InlineData("/oauth/revoke", "value")]
    [InlineData("/oauth/introspect", "many-values")]
    [InlineData("/oauth/introspect", "value")]
    public async Task RevokeAndIntrospect_OversizeForm_AreInvalidRequestAndRevokeNothing(string path, string kind)
    {
        // The same bounded form as the token endpoint: more than 1,024 values were a problem+json of
        // MVC's own, and an 8 KiB value an invalid_client, while the action took a parameter.
        var account = await NewAccountAsync();
        var token = await AccountTokenAsync(account);
        var form = new List<KeyValuePair<string, string>> { P("token", token) };
        if (kind == "many-values")
        {
            form.AddRange(Enumerable.Range(0, 1100).Select(i => P($"x{i}", "1")));
        }
        else
        {
            form.Add(P("token_type_hint", new string('a', 8193)));
        }

        await AssertOAuthErrorAsync(await FormAsync(path, form, account), HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal(HttpStatusCode.OK, await VerifyAsync(token));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("refresh_token")]
    [InlineData("access_token")] // a wrong hint changes nothing
    public async Task Revoke_OwnRefreshToken_EndsTheFamilyAndItsAccessTokensAtOnce(string? hint)
    {
        var user = await UserTokensAsync();
        Assert.Equal(HttpStatusCode.OK, await VerifyAsync(user.Tokens.AccessToken));

        var response = await RevokeAsync(user.AsClient, user.Tokens.RefreshToken!, hint);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
        Assert.Equal(1L, await CountAsync(
            "SELECT COUNT(*) FROM refresh_token_families WHERE client_id = @c AND revocation_reason = 'token_revoked'", ("@c", user.App.ClientId)));
        Assert.Equal(HttpStatusCode.Unauthorized, await VerifyAsync(user.Tokens.AccessToken));
        await AssertInactiveAsync(await IntrospectAsync(user.AsClient, user.Tokens.RefreshToken!));
        var refresh = await FormAsync("/oauth/token", [P("grant_type", "refresh_token"), P("refresh_token", user.Tokens.RefreshToken!)], user.AsClient);
        await AssertOAuthErrorAsync(refresh, HttpStatusCode.BadRequest, "invalid_grant");
        Assert.Equal(1L, await CountAsync(
            "SELECT COUNT(*) FROM audit_events WHERE type = 'oauth.token_revoked' AND client_id = @c AND details LIKE '%refresh_token%'", ("@c", user.App.ClientId)));
        Assert.Equal(1L, await CountAsync("SELECT COUNT(*) FROM audit_events WHERE type = 'session.revoked' AND details LIKE '%token_revoked%'"));
    }

    [Fact]
    public async Task Revoke_OwnAccessTokenOfAUser_StopsItAndEndsItsSession()
    {
        var user = await UserTokensAsync();

        var response = await RevokeAsync(user.AsClient, user.Tokens.AccessToken, "access_token");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await VerifyAsync(user.Tokens.AccessToken));
        Assert.Equal(1L, await CountAsync(
            "SELECT COUNT(*) FROM refresh_token_families WHERE client_id = @c AND revocation_reason = 'token_revoked'", ("@c", user.App.ClientId)));
    }

    [Fact]
    public async Task Revoke_AnotherAppsRefreshToken_LeavesItLive()
    {
        var user = await UserTokensAsync();
        var other = await UserTokensAsync();

        Assert.Equal(HttpStatusCode.OK, (await RevokeAsync(other.AsClient, user.Tokens.RefreshToken!)).StatusCode);

        Assert.Equal(0L, await CountAsync("SELECT COUNT(*) FROM refresh_token_families WHERE client_id = @c AND revoked_at IS NOT NULL", ("@c", user.App.ClientId)));
        Assert.True((bool)(await ReadObjectAsync(await IntrospectAsync(user.AsClient, user.Tokens.RefreshToken!)))["active"]!);
    }
}

public sealed class TokenRevocationTestsOnSqlite(SqliteApiFixture fixture) : TokenRevocationTests<SqliteApiFixture>(fixture);

public sealed class TokenRevocationTestsOnPostgres(PostgresApiFixture fixture) : TokenRevocationTests<PostgresApiFixture>(fixture);
